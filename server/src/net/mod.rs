//! The QUIC endpoint: accepts connections, checks each hello, and runs a loop per
//! connection that turns requests into hub calls and hub events into frames. Every
//! connection has its own task and tracing span; a misbehaving one is closed with a
//! reason and nobody else notices.

mod connection;
pub mod tls;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use workworlds_content::{Content, ContentBundle};
use workworlds_protocol::ALPN;
use workworlds_protocol::quic::{fingerprint_hex, parse_fingerprint_hex, transport_config};

use crate::hub::Hub;
use crate::store::Store;

/// The UDP receive and send buffers asked for, in bytes: big enough that a whole school
/// logging in at once does not overflow them. The kernel may grant less.
pub const UDP_BUFFER_BYTES: usize = 4 * 1024 * 1024;

/// Where the server listens and what it proves itself with.
pub struct ListenOptions {
    pub bind: SocketAddr,
    pub identity: tls::Identity,
}

/// A server accepting connections.
pub struct Listening {
    pub address: SocketAddr,
    pub fingerprint: [u8; 32],
    endpoint: quinn::Endpoint,
}

impl Listening {
    /// Binds the endpoint. The address and fingerprint are known once this returns.
    pub fn bind(options: ListenOptions) -> anyhow::Result<Listening> {
        let fingerprint = options.identity.fingerprint();
        let mut tls = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .context("setting up TLS")?
        .with_no_client_auth()
        .with_single_cert(options.identity.chain, options.identity.key)
        .context("loading the certificate")?;
        tls.alpn_protocols = vec![ALPN.to_vec()];
        let crypto =
            quinn::crypto::rustls::QuicServerConfig::try_from(tls).context("setting up QUIC")?;
        let mut config = quinn::ServerConfig::with_crypto(Arc::new(crypto));
        let mut transport = transport_config();
        // One stream per connection is all the protocol uses; a client opening more
        // gets nowhere.
        transport.max_concurrent_bidi_streams(1u8.into());
        transport.max_concurrent_uni_streams(0u8.into());
        config.transport_config(Arc::new(transport));

        let socket =
            udp_socket(options.bind).with_context(|| format!("binding {}", options.bind))?;
        let runtime = quinn::default_runtime().context("no async runtime")?;
        let endpoint = quinn::Endpoint::new(
            quinn::EndpointConfig::default(),
            Some(config),
            socket,
            runtime,
        )
        .with_context(|| format!("listening on {}", options.bind))?;
        let address = endpoint.local_addr().context("reading the bound address")?;
        Ok(Listening {
            address,
            fingerprint,
            endpoint,
        })
    }

    /// The fingerprint as people compare it.
    pub fn fingerprint_hex(&self) -> String {
        fingerprint_hex(&self.fingerprint)
    }

    /// The line a server prints first once it listens, which the people and programs
    /// that start it read with [`parse_announcement`]: where to connect and which
    /// certificate to trust.
    pub fn announcement(&self) -> String {
        format!(
            "listening on {} (certificate SHA-256 {})",
            self.address,
            self.fingerprint_hex()
        )
    }

    /// Accepts connections until the endpoint is closed.
    pub async fn serve(self, hub: Arc<Hub>) {
        let mut next = 0u64;
        while let Some(incoming) = self.endpoint.accept().await {
            next += 1;
            let span =
                tracing::debug_span!("connection", id = next, remote = %incoming.remote_address());
            let hub = hub.clone();
            tokio::spawn(tracing::Instrument::instrument(
                connection::handle(hub, incoming),
                span,
            ));
        }
    }

    /// The bound endpoint, for serving something other than class sessions over the
    /// same TLS and transport settings, as the load test's bare-QUIC baseline does.
    pub fn endpoint(&self) -> &quinn::Endpoint {
        &self.endpoint
    }

    /// Stops accepting and closes every connection.
    pub fn close(&self) {
        self.endpoint
            .close(quinn::VarInt::from_u32(0), b"server closing");
    }
}

/// Reads the line of [`Listening::announcement`]: the address and the certificate's
/// fingerprint, or `None` for any other line.
pub fn parse_announcement(line: &str) -> Option<(SocketAddr, [u8; 32])> {
    let rest = line.trim().strip_prefix("listening on ")?;
    let (address, rest) = rest.split_once(' ')?;
    let hex = rest
        .strip_prefix("(certificate SHA-256 ")?
        .strip_suffix(')')?;
    Some((address.parse().ok()?, parse_fingerprint_hex(hex)?))
}

/// Serves the store in `data` on a free loopback port, from the runtime it is called
/// in, with `content` (and its `bundle` for clients): the demo a game runs inside
/// itself, and the server end-to-end tests start. Returns the address and the
/// certificate's fingerprint to pin.
pub async fn serve_on_loopback(
    content: Content,
    bundle: &ContentBundle,
    data: &Path,
) -> anyhow::Result<(SocketAddr, [u8; 32])> {
    let loopback = (std::net::Ipv4Addr::LOCALHOST, 0).into();
    serve_in_process(content, bundle, data, loopback).await
}

/// Serves the store in `data` at `bind`, from the runtime it is called in: the class
/// server inside a game playing on one computer, which pupils' computers on the
/// classroom network join.
pub async fn serve_in_process(
    content: Content,
    bundle: &ContentBundle,
    data: &Path,
    bind: SocketAddr,
) -> anyhow::Result<(SocketAddr, [u8; 32])> {
    let store = Store::open(data).context("opening the store")?;
    let hub = Hub::restore(Arc::new(content), bundle, store).context("restoring sessions")?;
    let listening = Listening::bind(ListenOptions {
        bind,
        identity: tls::load_or_create(data)?,
    })?;
    let found = (listening.address, listening.fingerprint);
    tokio::spawn(listening.serve(hub));
    Ok(found)
}

/// A UDP socket with large buffers.
fn udp_socket(bind: SocketAddr) -> std::io::Result<std::net::UdpSocket> {
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(bind),
        socket2::Type::DGRAM,
        Some(socket2::Protocol::UDP),
    )?;
    if bind.is_ipv6() {
        // Dual-stack where the system allows, so `[::]` serves IPv4 pupils too.
        let _ = socket.set_only_v6(false);
    }
    if let Err(error) = socket.set_recv_buffer_size(UDP_BUFFER_BYTES) {
        tracing::warn!(%error, "could not enlarge the UDP receive buffer");
    }
    if let Err(error) = socket.set_send_buffer_size(UDP_BUFFER_BYTES) {
        tracing::warn!(%error, "could not enlarge the UDP send buffer");
    }
    socket.bind(&bind.into())?;
    // The async runtime polls the socket; a blocking one would stall its thread.
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_announcement_reads_back_as_the_address_and_fingerprint() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let _entered = runtime.enter();
        let data = tempfile::tempdir().unwrap();
        let listening = Listening::bind(ListenOptions {
            bind: (std::net::Ipv4Addr::LOCALHOST, 0).into(),
            identity: tls::load_or_create(data.path()).unwrap(),
        })
        .unwrap();
        let line = format!("{}\n", listening.announcement());
        assert_eq!(
            parse_announcement(&line),
            Some((listening.address, listening.fingerprint))
        );
        assert_eq!(parse_announcement("content ok: 8 sectors"), None);
        let cut = &line[..line.len() - 3];
        assert_eq!(parse_announcement(cut), None, "a line cut short");
    }
}
