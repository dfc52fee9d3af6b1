//! The client's address behind trusted proxies. A request that comes from
//! a proxy named in `trusted_proxies` is attributed to the right-most
//! `X-Forwarded-For` entry that is not itself a trusted proxy: entries to
//! its left were written by the client and prove nothing. Anything else
//! is attributed to the socket's peer, whatever headers it sends.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The address logs and per-address limits should use.
pub fn client(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpNet]) -> SocketAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if trusted.is_empty() || !is_trusted(&peer.ip()) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map_while(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect();
    match hops.iter().rev().find(|ip| !is_trusted(ip)).or(hops.first()) {
        Some(ip) => SocketAddr::new(*ip, 0),
        None => peer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(peer: &str, forwarded: &[&str], trusted: &[&str]) -> String {
        let mut headers = HeaderMap::new();
        for value in forwarded {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        let trusted: Vec<IpNet> = trusted.iter().map(|t| t.parse().unwrap()).collect();
        client(peer.parse().unwrap(), &headers, &trusted).ip().to_string()
    }

    #[test]
    fn only_a_trusted_proxy_may_name_the_client() {
        // No proxy trusted: the header is the client's own claim.
        assert_eq!(at("203.0.113.7:5000", &["198.51.100.1"], &[]), "203.0.113.7");
        // Not from a trusted proxy: same.
        assert_eq!(at("203.0.113.7:5000", &["198.51.100.1"], &["10.0.0.0/8"]), "203.0.113.7");
        // From the proxy: the entry it appended.
        assert_eq!(at("10.0.0.2:5000", &["198.51.100.1"], &["10.0.0.0/8"]), "198.51.100.1");
    }

    #[test]
    fn the_right_most_untrusted_hop_wins_over_what_the_client_wrote() {
        let trusted = ["10.0.0.0/8", "127.0.0.1/32"];
        assert_eq!(at("127.0.0.1:1", &["1.1.1.1, 198.51.100.1, 10.0.0.5"], &trusted), "198.51.100.1");
        assert_eq!(at("127.0.0.1:1", &["1.1.1.1", "198.51.100.1"], &trusted), "198.51.100.1");
        // Every hop a proxy: the first one is the client.
        assert_eq!(at("127.0.0.1:1", &["10.0.0.9, 10.0.0.5"], &trusted), "10.0.0.9");
        // Nothing usable: the peer.
        assert_eq!(at("127.0.0.1:1", &[], &trusted), "127.0.0.1");
        assert_eq!(at("127.0.0.1:1", &["garbage"], &trusted), "127.0.0.1");
    }
}
