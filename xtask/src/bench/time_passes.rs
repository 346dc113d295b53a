//! Where a cold build's time and memory go, for the reason a build target
//! gives when it misses: `rustc -Z time-passes` (unlocked on stable by
//! `RUSTC_BOOTSTRAP=1`) read back as the passes that took longest.

use std::fmt::Write as _;

/// One line of `-Z time-passes`: `time:   1.234; rss:  200MB -> 900MB ( +700MB)`, a tab, the name.
#[derive(Debug, PartialEq)]
pub struct Pass {
    pub name: String,
    pub seconds: f64,
    /// Resident set when the pass ended, MB.
    pub rss_after_mb: u64,
}

pub fn parse(log: &str) -> Vec<Pass> {
    log.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<Pass> {
    let rest = line.trim_start().strip_prefix("time:")?;
    let (seconds, rest) = rest.split_once(';')?;
    let rest = rest.trim_start().strip_prefix("rss:")?;
    let (_, after) = rest.split_once("->")?;
    let after = after.trim_start();
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    let name = rest.rsplit(['\t', ')']).next()?.trim();
    Some(Pass {
        name: name.to_string(),
        seconds: seconds.trim().parse().ok()?,
        rss_after_mb: digits.parse().ok()?,
    })
}

/// "total 41.2 s, peak 3012 MB; LLVM_passes 9.1 s, …": the `count`
/// longest passes after the total. Passes nest, so they add up to more.
pub fn summary(passes: &[Pass], count: usize) -> String {
    let mut out = String::new();
    if let Some(total) = passes.iter().find(|p| p.name == "total") {
        let _ = write!(out, "total {:.1} s", total.seconds);
    }
    if let Some(peak) = passes.iter().map(|p| p.rss_after_mb).max() {
        let _ = write!(out, ", resident set up to {peak} MB");
    }
    let mut longest: Vec<&Pass> = passes.iter().filter(|p| p.name != "total").collect();
    longest.sort_by(|a, b| b.seconds.total_cmp(&a.seconds).then(a.name.cmp(&b.name)));
    let longest: Vec<String> = longest
        .iter()
        .take(count)
        .map(|p| format!("`{}` {:.1} s", p.name, p.seconds))
        .collect();
    if !longest.is_empty() {
        let _ = write!(out, "; longest passes (nested): {}", longest.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_passes_and_names_the_longest() {
        let log = "   Compiling telnyx-api v0.1.0\n\
            time:   0.012; rss:   45MB ->   60MB (  +15MB)\tparse_crate\n\
            time:   9.100; rss:  900MB -> 2900MB (+2000MB)\tLLVM_passes\n\
            time:   3.400; rss:  600MB ->  900MB ( +300MB)\ttype_check_crate\n\
            time:  14.000; rss:   40MB -> 1200MB (+1160MB)\ttotal\n";
        let passes = parse(log);
        assert_eq!(passes.len(), 4);
        assert_eq!(
            passes[1],
            Pass {
                name: "LLVM_passes".into(),
                seconds: 9.1,
                rss_after_mb: 2900
            }
        );
        assert_eq!(
            summary(&passes, 2),
            "total 14.0 s, resident set up to 2900 MB; longest passes (nested): \
             `LLVM_passes` 9.1 s, `type_check_crate` 3.4 s"
        );
    }
}
