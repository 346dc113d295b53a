//! The URL every request path is appended to, checked and parsed once when
//! the client is built.

use reqwest::Url;

use super::Error;

/// The base URL, kept parsed: a request's URL is a copy of it with the path
/// and query replaced, so the scheme and host are never parsed again.
pub(crate) struct BaseUrl(Url);

impl BaseUrl {
    /// Checks that `raw` is an absolute `http`/`https` URL without query,
    /// fragment or credentials.
    pub(crate) fn parse(raw: &str) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::Config(format!("the base URL {reason}"));
        let url = Url::parse(raw.trim())
            .map_err(|error| invalid(&format!("is not a valid URL: {error}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("must use http or https"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("must not have a query or fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("must not contain credentials"));
        }
        Ok(Self(url))
    }

    /// The URL without a trailing `/`, such as `https://api.telnyx.com/v2`.
    pub(crate) fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }

    /// The base's own path without its trailing `/`, such as `/v2` or
    /// ``: request paths are rendered after it.
    pub(crate) fn path(&self) -> &str {
        self.0.path().trim_end_matches('/')
    }

    /// The URL with this base's scheme and host, `path` (the full path,
    /// already percent-encoded, starting with `/`) and `query` (already
    /// encoded, without `?`).
    pub(crate) fn url(&self, path: &str, query: Option<&str>) -> Url {
        let mut url = self.0.clone();
        url.set_path(path);
        url.set_query(query);
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(base: &str, path: &str, query: Option<&str>) -> String {
        let base = BaseUrl::parse(base).unwrap();
        base.url(&format!("{}{path}", base.path()), query)
            .to_string()
    }

    #[test]
    fn joins_like_parsing_the_concatenation() {
        let cases = [
            (
                "http://127.0.0.1:8080",
                "/calls/v3:a%2Fb/actions/answer",
                None,
            ),
            (
                "https://api.telnyx.com/v2/",
                "/conferences",
                Some("page%5Bsize%5D=5"),
            ),
            ("https://x.test/v2", "/a/%C3%A9.~_-", Some("a=1&b=%20")),
            ("https://x.test/", "/", None),
        ];
        for (base, path, query) in cases {
            let text = BaseUrl::parse(base).unwrap().as_str().to_owned();
            let concatenated = match query {
                Some(query) => format!("{text}{path}?{query}"),
                None => format!("{text}{path}"),
            };
            let expected = Url::parse(&concatenated).unwrap().to_string();
            assert_eq!(joined(base, path, query), expected, "{base} + {path}");
        }
    }

    #[test]
    fn normalizes_the_trailing_slash_away() {
        assert_eq!(
            BaseUrl::parse("http://localhost:8080/").unwrap().as_str(),
            "http://localhost:8080"
        );
        assert_eq!(
            BaseUrl::parse(" https://x.test/v2/\n").unwrap().as_str(),
            "https://x.test/v2"
        );
    }

    #[test]
    fn rejects_what_cannot_be_a_base() {
        for bad in [
            "not a url",
            "ftp://x.test",
            "https://x.test/?a=1",
            "https://x.test/#f",
            "https://u:p@x.test",
        ] {
            assert!(
                matches!(BaseUrl::parse(bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }
}
