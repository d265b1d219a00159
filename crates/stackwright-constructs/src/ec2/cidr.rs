//! [`Ipv4Cidr`]: an IPv4 CIDR block, parsed and checked at synth time.

use std::fmt;

/// An IPv4 CIDR block such as `10.0.0.0/16`, with its host bits zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv4Cidr {
    address: u32,
    prefix: u8,
}

impl Ipv4Cidr {
    /// Parses `a.b.c.d/n`; `None` unless it is well formed (four octets 0-255, a prefix
    /// 0-32) with no host bit set (`10.0.0.1/16` is refused: it names a host, not a block).
    pub fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = text.split_once('/')?;
        let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32 && !text.contains('+'))?;
        let octets: Vec<&str> = address.split('.').collect();
        if octets.len() != 4 {
            return None;
        }
        let mut value = 0u32;
        for octet in octets {
            if octet.is_empty() || octet.len() > 3 || !octet.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let octet: u8 = octet.parse().ok()?;
            value = (value << 8) | u32::from(octet);
        }
        let cidr = Self { address: value, prefix };
        (value & !cidr.mask() == 0).then_some(cidr)
    }

    /// The prefix length.
    pub fn prefix(self) -> u8 {
        self.prefix
    }

    fn mask(self) -> u32 {
        if self.prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(self.prefix)) }
    }

    /// Whether the block lies in a private range of RFC 1918 (`10/8`, `172.16/12`,
    /// `192.168/16`).
    pub fn is_rfc1918(self) -> bool {
        [(0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16)].into_iter().any(|(network, bits)| {
            let outer = Self { address: network, prefix: bits };
            self.prefix >= bits && self.address & outer.mask() == network
        })
    }

    /// The `index`-th of the blocks `extra_bits` longer than this one, if it exists.
    pub fn subnet(self, extra_bits: u8, index: u32) -> Option<Self> {
        let prefix = self.prefix.checked_add(extra_bits).filter(|p| *p <= 32)?;
        if extra_bits < 32 && index >= 1u32 << extra_bits {
            return None;
        }
        let size = if prefix == 32 { 1 } else { 1u32 << (32 - u32::from(prefix)) };
        Some(Self { address: self.address + index * size, prefix })
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [first, second, third, fourth] = self.address.to_be_bytes();
        write!(f, "{first}.{second}.{third}.{fourth}/{}", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blocks_and_refuses_hosts_and_garbage() {
        assert_eq!(Ipv4Cidr::parse("10.0.0.0/16").map(|c| c.to_string()), Some("10.0.0.0/16".into()));
        assert_eq!(Ipv4Cidr::parse("0.0.0.0/0").map(Ipv4Cidr::prefix), Some(0));
        for bad in ["10.0.0.1/16", "10.0.0/16", "10.0.0.0", "256.0.0.0/8", "10.0.0.0/33", "a.b.c.d/8", "10.0.0.0/+8"] {
            assert_eq!(Ipv4Cidr::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn private_ranges_and_subnets() {
        assert!(Ipv4Cidr::parse("172.20.0.0/16").unwrap().is_rfc1918());
        assert!(!Ipv4Cidr::parse("172.32.0.0/16").unwrap().is_rfc1918());
        assert!(!Ipv4Cidr::parse("10.0.0.0/7").unwrap().is_rfc1918());
        let vpc = Ipv4Cidr::parse("10.1.0.0/16").unwrap();
        assert_eq!(vpc.subnet(2, 3).unwrap().to_string(), "10.1.192.0/18");
        assert_eq!(vpc.subnet(2, 4), None);
    }
}
