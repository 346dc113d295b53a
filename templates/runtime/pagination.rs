//! Walking through paginated list endpoints as one lazy stream of items.

use std::future::Future;

use futures_util::stream::{self, Stream};

use super::Error;

/// Where the page after the current one starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NextPage {
    /// Page-number pagination: the 1-based number of the next page.
    Number(i64),
    /// Cursor pagination: the opaque cursor to pass as `page[after]`.
    After(String),
}

/// One page of results from a list endpoint.
pub trait Page: serde::de::DeserializeOwned + Send {
    /// The type of the listed items.
    type Item: Send;

    /// The next page, or `None` when this is the last one.
    fn next_page(&self) -> Option<NextPage>;

    /// The items on this page, in the order the API returned them.
    fn into_items(self) -> Vec<Self::Item>;
}

/// A list request that can be repeated for any page.
pub trait PagedRequest: Sized + Send + 'static {
    /// The page this request returns.
    type Page: Page;

    /// The same request, asking for the page `next` instead.
    fn with_next_page(self, next: &NextPage) -> Self;

    /// Sends the request and returns the page.
    fn fetch_page(self) -> impl Future<Output = Result<Self::Page, Error>> + Send;
}

/// The page after page `page_number` of `total_pages`, if there is one.
pub fn next_page_number(page_number: Option<i64>, total_pages: Option<i64>) -> Option<NextPage> {
    match (page_number, total_pages) {
        (Some(current), Some(total)) if current < total => {
            current.checked_add(1).map(NextPage::Number)
        }
        _ => None,
    }
}

/// The page after the one whose next-page cursor is `after`, if there is one.
pub fn next_cursor(after: Option<&str>) -> Option<NextPage> {
    after
        .filter(|cursor| !cursor.is_empty())
        .map(|cursor| NextPage::After(cursor.to_owned()))
}

/// Turns a list request into a stream of the items of all its pages.
///
/// Pages are fetched lazily, one at a time, starting with the page `request`
/// asks for, until a page is empty, has no next page, or points at itself. A
/// failed fetch is yielded as the stream's last item.
///
/// The stream is not `Unpin`; pin it before polling, for example with
/// [`std::pin::pin!`] or `StreamExt::boxed`.
pub fn into_stream<R: PagedRequest + Clone>(
    request: R,
) -> impl Stream<Item = Result<<R::Page as Page>::Item, Error>> + Send {
    let pager = Pager {
        buffered: Vec::new().into_iter(),
        next: Some((request, None)),
    };
    stream::unfold(pager, |mut pager| async move {
        loop {
            if let Some(item) = pager.buffered.next() {
                return Some((Ok(item), pager));
            }
            let (request, requested) = pager.next.take()?;
            match request.clone().fetch_page().await {
                Ok(page) => {
                    let next = page.next_page();
                    let items = page.into_items();
                    match next {
                        // A page pointing at itself would otherwise repeat forever.
                        Some(next) if !items.is_empty() && requested.as_ref() != Some(&next) => {
                            pager.next = Some((request.with_next_page(&next), Some(next)));
                        }
                        _ => {}
                    }
                    pager.buffered = items.into_iter();
                }
                Err(error) => return Some((Err(error), pager)),
            }
        }
    })
}

/// The state of [`into_stream`] between items.
struct Pager<R, I> {
    /// Items of the last fetched page not yet yielded.
    buffered: std::vec::IntoIter<I>,
    /// The request for the next page, with the page it asks for (`None` for
    /// the first request, which asks for whatever the caller set).
    next: Option<(R, Option<NextPage>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_advance_until_the_last_page() {
        assert_eq!(
            next_page_number(Some(1), Some(3)),
            Some(NextPage::Number(2))
        );
        assert_eq!(next_page_number(Some(3), Some(3)), None);
        assert_eq!(next_page_number(None, Some(3)), None);
        assert_eq!(next_page_number(Some(1), None), None);
        assert_eq!(next_page_number(Some(i64::MAX), Some(i64::MAX)), None);
    }

    #[test]
    fn cursors_must_be_non_empty() {
        assert_eq!(
            next_cursor(Some("abc")),
            Some(NextPage::After("abc".to_owned()))
        );
        assert_eq!(next_cursor(Some("")), None);
        assert_eq!(next_cursor(None), None);
    }
}
