//! The HTTP server loop: hyper, with the read timeouts axum's `serve` does
//! not offer. A request's headers (and, on a kept-alive connection, the
//! next request's) must arrive within `http_header_timeout_secs`, its
//! whole body within `http_body_timeout_secs`; a slow or silent client is
//! cut off instead of holding a connection for ever. WebSocket upgrades
//! are served as before: the timeouts end with the upgrade. On shutdown
//! the listener closes and open connections finish their requests. Each
//! request carries its client's address ([`super::forwarded`]) as `ConnectInfo`.

use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use axum::{Router, body::Body, extract::ConnectInfo};
use hyper::body::{Frame, Incoming};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use tokio::net::TcpListener;
use tower::ServiceExt as _;

/// Read limits of the server, and whom it believes about client addresses.
#[derive(Debug, Clone)]
pub struct Options {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub trusted_proxies: std::sync::Arc<[ipnet::IpNet]>,
}

/// A request body that fails once its deadline passes, however slowly the
/// bytes trickle in.
struct Deadline {
    inner: Incoming,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
struct BodyTimeout;

impl hyper::body::Body for Deadline {
    type Data = axum::body::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if self.sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimeout))));
        }
        Pin::new(&mut self.inner).poll_frame(cx).map_err(Into::into)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets open
/// connections finish within `grace`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: Options,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(options.header_timeout).keep_alive(true);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(Some(Duration::from_secs(30)));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let (body_timeout, trusted) = (options.body_timeout, options.trusted_proxies.clone());
        let service = router.clone().map_request(move |request: hyper::Request<Incoming>| {
            let mut request =
                request.map(|inner| Body::new(Deadline { inner, sleep: Box::pin(tokio::time::sleep(body_timeout)) }));
            let client = super::forwarded::client(peer, request.headers(), &trusted);
            request.extensions_mut().insert(ConnectInfo(client));
            request
        });
        let service = TowerToHyperService::new(service.map_err(|e: Infallible| match e {}));
        let (builder, watcher, first_bytes) = (builder.clone(), graceful.watcher(), options.header_timeout);
        tokio::spawn(async move {
            // Telling HTTP/1 from HTTP/2 waits for the first bytes with no
            // timeout of its own: a client that never speaks is dropped here.
            let mut first = [0u8; 1];
            if !matches!(tokio::time::timeout(first_bytes, stream.peek(&mut first)).await, Ok(Ok(1..))) {
                tracing::debug!(%peer, "closed a connection that sent nothing");
                return;
            }
            let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
            if let Err(e) = watcher.watch(connection.into_owned()).await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(grace, graceful.shutdown()).await.is_err() {
        tracing::warn!("shutdown grace period over; dropping remaining connections");
    }
}
