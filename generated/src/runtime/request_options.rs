//! What every generated request builder has besides its own inputs: the
//! per-request options, `send` and `IntoFuture`. Written once here instead
//! of in each of the builders, the way `open_enum!` serves every enum.

/// Adds `timeout`, `max_retries`, `header` and `query_param` to a builder
/// with an `options: RequestOptions` field.
// Generated modules use it; a specification without operations would not.
#[allow(unused_macros)]
macro_rules! request_options {
    ($name:ident) => {
        impl $name {
            /// Limits each attempt of this request to `timeout` instead of the
            /// client's timeout.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            /// Retries this request at most `max_retries` times instead of the
            /// client's limit; 0 sends it once.
            pub fn max_retries(mut self, max_retries: u32) -> Self {
                self.options.set_max_retries(max_retries);
                self
            }

            /// Sends an extra header, replacing one of the same name; an
            /// invalid name or value fails the request before it is sent.
            pub fn header(
                mut self,
                name: impl Into<::std::string::String>,
                value: impl Into<::std::string::String>,
            ) -> Self {
                self.options.add_header(name.into(), value.into());
                self
            }

            /// Sends an extra query parameter, for inputs the spec does not list.
            pub fn query_param(
                mut self,
                name: impl Into<::std::string::String>,
                value: impl Into<::std::string::String>,
            ) -> Self {
                self.options.add_query_param(name.into(), value.into());
                self
            }
        }
    };
}

/// Adds `send` and `IntoFuture` to a builder whose `send_with_response`
/// returns an `ApiResponse<$output>`; `generates_command_id` says that
/// `send_with_response` fills in a missing `command_id`.
// Generated modules use it; a specification without operations would not.
#[allow(unused_macros)]
macro_rules! request_send {
    ($name:ident, $output:ty) => {
        $crate::runtime::request_send!(@impl $name, $output,);
    };
    ($name:ident, $output:ty, generates_command_id) => {
        $crate::runtime::request_send!(
            @impl $name,
            $output,
            #[doc = ""]
            #[doc = " Without a `command_id` set, a fresh one is generated here and repeated"]
            #[doc = " on every retry, so Telnyx carries out the command at most once."]
        );
    };
    (@impl $name:ident, $output:ty, $(#[$doc:meta])*) => {
        impl $name {
            /// Sends the request and decodes the response;
            /// [`send_with_response`](Self::send_with_response) also returns the
            /// status and headers.
            $(#[$doc])*
            #[inline]
            pub fn send(
                self,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<$output, $crate::Error>>
                   + ::std::marker::Send
                   + 'static {
                ::futures_util::future::FutureExt::map(self.send_with_response(), |response| {
                    response.map($crate::ApiResponse::into_value)
                })
            }
        }

        impl ::std::future::IntoFuture for $name {
            type Output = ::std::result::Result<$output, $crate::Error>;
            type IntoFuture = ::futures_util::future::BoxFuture<'static, Self::Output>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}

pub(crate) use request_options;
pub(crate) use request_send;
