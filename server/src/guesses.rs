//! Join-code guessing: an address that types too many wrong codes in a short time is
//! refused for a while. Join codes have 31⁶ (about 900 million) values, so at ten tries a
//! minute guessing one would take centuries.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

/// Wrong codes allowed from one address within the window before it is refused.
pub const WRONG_CODES_ALLOWED: usize = 10;
/// The window wrong codes are counted over, in milliseconds.
pub const WINDOW_MS: u64 = 60_000;
/// How long an address is refused once over the limit, in milliseconds.
pub const LOCKOUT_MS: u64 = 5 * 60_000;
/// The most addresses remembered; beyond it the quietest are forgotten first, so a
/// flood of addresses cannot exhaust the server's memory.
pub const MAX_ADDRESSES: usize = 10_000;

/// Remembers wrong join codes per address. Times are milliseconds on a monotonic clock.
#[derive(Debug, Default)]
pub struct GuessLimiter {
    addresses: HashMap<IpAddr, Guesses>,
}

#[derive(Debug, Default)]
struct Guesses {
    wrong_at_ms: VecDeque<u64>,
    locked_until_ms: Option<u64>,
}

impl GuessLimiter {
    /// `Some(seconds)` to wait when `address` is refused now, else `None`.
    pub fn refused(&mut self, address: IpAddr, now_ms: u64) -> Option<u32> {
        let address = network_of(address);
        let guesses = self.addresses.get_mut(&address)?;
        match guesses.locked_until_ms {
            Some(until) if now_ms < until => {
                Some(u32::try_from((until - now_ms).div_ceil(1000)).unwrap_or(u32::MAX))
            }
            Some(_) => {
                self.addresses.remove(&address);
                None
            }
            None => None,
        }
    }

    /// Records a wrong code from `address`.
    pub fn wrong(&mut self, address: IpAddr, now_ms: u64) {
        let address = network_of(address);
        if !self.addresses.contains_key(&address) && self.addresses.len() >= MAX_ADDRESSES {
            self.forget_quietest();
        }
        let guesses = self.addresses.entry(address).or_default();
        while guesses
            .wrong_at_ms
            .front()
            .is_some_and(|&at| at + WINDOW_MS <= now_ms)
        {
            guesses.wrong_at_ms.pop_front();
        }
        guesses.wrong_at_ms.push_back(now_ms);
        if guesses.wrong_at_ms.len() >= WRONG_CODES_ALLOWED {
            guesses.locked_until_ms = Some(now_ms + LOCKOUT_MS);
            guesses.wrong_at_ms.clear();
        }
    }

    /// How many addresses are remembered.
    pub fn len(&self) -> usize {
        self.addresses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty()
    }

    fn forget_quietest(&mut self) {
        let quietest = self
            .addresses
            .iter()
            .filter(|(_, guesses)| guesses.locked_until_ms.is_none())
            .min_by_key(|(_, guesses)| guesses.wrong_at_ms.back().copied().unwrap_or(0))
            .or_else(|| {
                self.addresses
                    .iter()
                    .min_by_key(|(_, guesses)| guesses.locked_until_ms)
            })
            .map(|(address, _)| *address);
        if let Some(address) = quietest {
            self.addresses.remove(&address);
        }
    }
}

/// The unit guesses are counted by: an IPv4 address, or an IPv6 /64 network, since one
/// IPv6 host can have any address in its /64.
fn network_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(
                segments[0],
                segments[1],
                segments[2],
                segments[3],
                0,
                0,
                0,
                0,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
    const OTHER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

    #[test]
    fn the_tenth_wrong_code_in_a_minute_locks_the_address_out_for_a_while() {
        let mut limiter = GuessLimiter::default();
        for attempt in 0..WRONG_CODES_ALLOWED as u64 - 1 {
            limiter.wrong(HOME, attempt * 1000);
            assert_eq!(limiter.refused(HOME, attempt * 1000), None);
        }
        limiter.wrong(HOME, 9_000);
        assert_eq!(limiter.refused(HOME, 9_000), Some(300));
        assert_eq!(
            limiter.refused(OTHER, 9_000),
            None,
            "other addresses are not affected"
        );
        assert_eq!(limiter.refused(HOME, 9_000 + LOCKOUT_MS - 1), Some(1));
        assert_eq!(limiter.refused(HOME, 9_000 + LOCKOUT_MS), None);
    }

    #[test]
    fn slow_mistakes_never_lock_anyone_out() {
        let mut limiter = GuessLimiter::default();
        for attempt in 0..100 {
            limiter.wrong(HOME, attempt * 7_000);
            assert_eq!(
                limiter.refused(HOME, attempt * 7_000),
                None,
                "attempt {attempt}"
            );
        }
    }

    #[test]
    fn memory_is_bounded_however_many_addresses_guess() {
        let mut limiter = GuessLimiter::default();
        for n in 0..(MAX_ADDRESSES as u32 + 500) {
            limiter.wrong(IpAddr::V4(Ipv4Addr::from(n)), u64::from(n));
        }
        assert_eq!(limiter.len(), MAX_ADDRESSES);
    }

    #[test]
    fn one_ipv6_network_counts_as_one_guesser() {
        let mut limiter = GuessLimiter::default();
        for host in 0..WRONG_CODES_ALLOWED as u16 {
            limiter.wrong(
                IpAddr::V6(std::net::Ipv6Addr::new(0xfd00, 0, 0, 1, 0, 0, 0, host)),
                0,
            );
        }
        let another_host = IpAddr::V6(std::net::Ipv6Addr::new(0xfd00, 0, 0, 1, 9, 9, 9, 9));
        assert!(limiter.refused(another_host, 1).is_some());
    }
}
