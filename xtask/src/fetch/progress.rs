//! The progress line of a download. On a terminal it is one line redrawn in
//! place (`\r`) as bytes arrive; in a log (CI, a pipe) it is a line when the
//! download starts and one when it ends, so logs stay readable.

use std::io::Write;
use std::time::{Duration, Instant};

/// How often a terminal line is redrawn at most.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

pub struct Progress<W: Write> {
    out: W,
    /// Redraw one line in place (a terminal) rather than print whole lines.
    live: bool,
    /// What is downloaded, for the line: `spec/spec3.yml`.
    what: String,
    total: Option<u64>,
    started: Instant,
    drawn: Option<Instant>,
}

impl Progress<std::io::Stderr> {
    /// Progress on stderr, redrawn in place when stderr is a terminal.
    pub fn stderr(what: impl Into<String>) -> Self {
        use std::io::IsTerminal;
        let live = std::io::stderr().is_terminal();
        Progress::new(std::io::stderr(), live, what)
    }
}

impl<W: Write> Progress<W> {
    pub fn new(out: W, live: bool, what: impl Into<String>) -> Self {
        Progress {
            out,
            live,
            what: what.into(),
            total: None,
            started: Instant::now(),
            drawn: None,
        }
    }

    /// The response arrived: `total` is its `Content-Length`, if it gave one.
    pub fn start(&mut self, url: &str, total: Option<u64>) {
        self.total = total;
        self.started = Instant::now();
        let size = total
            .map(|n| format!(" ({})", megabytes(n)))
            .unwrap_or_default();
        if self.live {
            self.draw(0);
        } else {
            let text = format!("downloading {}{size} from {url}", self.what);
            self.line(&text);
        }
    }

    /// `received` bytes have arrived so far.
    pub fn advance(&mut self, received: u64) {
        let due = self.drawn.is_none_or(|at| at.elapsed() >= REDRAW_EVERY);
        if self.live && due {
            self.draw(received);
        }
    }

    /// The download is complete.
    pub fn finish(&mut self, received: u64) {
        let elapsed = self.started.elapsed().as_secs_f64();
        if self.live {
            self.draw(received);
            self.line(&format!(", done in {elapsed:.1} s"));
        } else {
            let text = format!(
                "downloaded {} of {} in {elapsed:.1} s",
                megabytes(received),
                self.what
            );
            self.line(&text);
        }
    }

    /// The download failed: end a line drawn in place, so the error that
    /// follows starts on its own line.
    pub fn abandon(&mut self) {
        if self.live && self.drawn.is_some() {
            self.line("");
        }
    }

    fn draw(&mut self, received: u64) {
        let of = match self.total {
            Some(total) if total > 0 => format!(
                " of {} ({}%)",
                megabytes(total),
                received.saturating_mul(100) / total
            ),
            _ => String::new(),
        };
        // Trailing spaces clear what a longer earlier draw left behind.
        let _ = write!(
            self.out,
            "\rdownloading {}: {}{of}   ",
            self.what,
            megabytes(received)
        );
        let _ = self.out.flush();
        self.drawn = Some(Instant::now());
    }

    fn line(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }
}

/// `4172563` → `4.2 MB` (decimal megabytes, as download sizes are given).
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(live: bool, steps: impl FnOnce(&mut Progress<&mut Vec<u8>>)) -> String {
        let mut out = Vec::new();
        steps(&mut Progress::new(&mut out, live, "spec/spec3.yml"));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_log_gets_a_line_at_the_start_and_one_at_the_end() {
        let text = printed(false, |p| {
            p.start("https://example.test/spec3.yml", Some(4_172_563));
            p.advance(2_000_000);
            p.finish(4_172_563);
        });
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(
            lines[0],
            "downloading spec/spec3.yml (4.2 MB) from https://example.test/spec3.yml"
        );
        assert!(
            lines[1].starts_with("downloaded 4.2 MB of spec/spec3.yml in "),
            "{text}"
        );
        assert!(!text.contains('\r'), "{text:?}");
    }

    #[test]
    fn a_terminal_gets_one_line_redrawn_in_place() {
        let text = printed(true, |p| {
            p.start("https://example.test/spec3.yml", Some(4_000_000));
            p.finish(4_000_000);
        });
        assert!(text.starts_with("\rdownloading spec/spec3.yml: 0.0 MB of 4.0 MB (0%)"));
        assert!(text.contains("\rdownloading spec/spec3.yml: 4.0 MB of 4.0 MB (100%)"));
        assert!(text.ends_with(" s\n"), "{text:?}");
        assert_eq!(text.matches('\n').count(), 1, "{text:?}");
    }

    #[test]
    fn a_failure_ends_the_line_drawn_in_place() {
        let text = printed(true, |p| {
            p.start("u", None);
            p.abandon();
        });
        assert!(text.starts_with("\rdownloading spec/spec3.yml: 0.0 MB   "));
        assert!(text.ends_with('\n'), "{text:?}");
    }
}
