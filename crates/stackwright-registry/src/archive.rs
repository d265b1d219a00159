//! The embedded archive (`schemas/registry.bin`): one LZ4-compressed entry per type behind a
//! sorted index, so a process decompresses only the types a template uses.
//!
//! LZ4 (block format, `lz4_flex`) rather than deflate: every `synth` and `validate` process
//! decompresses the entries of the types its template uses, and for the seed's 23 types LZ4
//! takes 0.67 M instructions where deflate took 2.36 M (docs/PERFORMANCE.md), for 0.65 MB more
//! embedded data (2.02 MB). The index records each entry's decompressed size, which the block
//! format needs.
//!
//! Layout (integers little-endian):
//!
//! ```text
//! magic      8 bytes   b"SWREG\x02\0\0" (version 2: LZ4; version 1 was deflate)
//! count      u32       number of index records
//! names_len  u32       bytes of the names area
//! index      count × 20 bytes, sorted by name:
//!              name_off u32, name_len u16, kind u8, 0u8, data_off u32, data_len u32, raw_len u32
//! names      names_len bytes (UTF-8, offsets relative to the start of this area)
//! data       the rest (offsets relative to the start of this area)
//! ```
//!
//! `kind` 0 is a type of the vendored region: its data is the entry of
//! [`crate::vendor::entry`] as one LZ4 block (no frame, no size prefix), `raw_len` bytes once
//! decompressed. `kind` 1 is a type that is
//! not in the vendored region's registry but is in another region's: its data is the
//! comma-separated list of those regions, uncompressed.

use std::ops::Range;

const MAGIC: &[u8; 8] = b"SWREG\x02\0\0";
const HEADER: usize = 16;
const RECORD: usize = 20;
/// An entry decompresses to at most this (the largest registry schema is about 210 KB).
const MAX_RAW: usize = 16 * 1024 * 1024;

/// What an index record stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A type of the vendored region, with its compressed entry.
    Vendored,
    /// A type only other regions have; the data lists them.
    OtherRegions,
}

/// A read-only view of an archive's bytes.
#[derive(Debug, Clone)]
pub struct Archive<'a> {
    bytes: &'a [u8],
    count: usize,
    names: Range<usize>,
    data: usize,
}

/// One index record.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The type name.
    pub name: &'a str,
    /// What it stands for.
    pub kind: Kind,
    data: &'a [u8],
    raw_len: usize,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let word: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    usize::try_from(u32::from_le_bytes(word)).ok()
}

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    let word: [u8; 2] = bytes.get(at..at + 2)?.try_into().ok()?;
    Some(usize::from(u16::from_le_bytes(word)))
}

impl<'a> Archive<'a> {
    /// Reads the header; `None` when the bytes are not an archive of this format.
    pub fn new(bytes: &'a [u8]) -> Option<Self> {
        if bytes.get(..8)? != MAGIC {
            return None;
        }
        let count = u32_at(bytes, 8)?;
        let names_len = u32_at(bytes, 12)?;
        let names_start = HEADER.checked_add(count.checked_mul(RECORD)?)?;
        let data = names_start.checked_add(names_len)?;
        (data <= bytes.len()).then_some(Self { bytes, count, names: names_start..data, data })
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there is no record.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Record `index` (in name order); `None` past the end or when the record is corrupt.
    pub fn record(&self, index: usize) -> Option<Record<'a>> {
        if index >= self.count {
            return None;
        }
        let at = HEADER + index * RECORD;
        let name_off = u32_at(self.bytes, at)?;
        let name_len = u16_at(self.bytes, at + 4)?;
        let kind = match self.bytes.get(at + 6)? {
            0 => Kind::Vendored,
            1 => Kind::OtherRegions,
            _ => return None,
        };
        let data_off = u32_at(self.bytes, at + 8)?;
        let data_len = u32_at(self.bytes, at + 12)?;
        let raw_len = u32_at(self.bytes, at + 16)?;
        let names = self.bytes.get(self.names.clone())?;
        let name = std::str::from_utf8(names.get(name_off..name_off.checked_add(name_len)?)?).ok()?;
        let start = self.data.checked_add(data_off)?;
        let data = self.bytes.get(start..start.checked_add(data_len)?)?;
        Some(Record { name, kind, data, raw_len })
    }

    /// The name bytes of record `index`, read without decoding the rest of the record (or
    /// checking the UTF-8, which [`Archive::record`] does): what a lookup compares.
    fn name_bytes(&self, index: usize) -> Option<&'a [u8]> {
        let at = HEADER + index * RECORD;
        let name_off = u32_at(self.bytes, at)?;
        let name_len = u16_at(self.bytes, at + 4)?;
        let names = self.bytes.get(self.names.clone())?;
        names.get(name_off..name_off.checked_add(name_len)?)
    }

    /// The index of the record named `name`, by binary search (comparing name bytes: UTF-8
    /// orders as its bytes do).
    pub fn find(&self, name: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.count);
        while low < high {
            let middle = low + (high - low) / 2;
            match self.name_bytes(middle)?.cmp(name.as_bytes()) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    /// Every record, in name order (a corrupt one ends the iteration).
    pub fn records(&self) -> impl Iterator<Item = Record<'a>> + '_ {
        (0..self.count).map_while(|i| self.record(i))
    }
}

impl<'a> Record<'a> {
    /// The record's bytes as stored (compressed for a vendored entry).
    pub fn stored(&self) -> &'a [u8] {
        self.data
    }

    /// The record's data: a vendored entry decompressed, or the list of other regions.
    pub fn text(&self) -> Result<String, String> {
        let bytes = match self.kind {
            Kind::Vendored => {
                if self.raw_len > MAX_RAW {
                    return Err(format!("{}: the entry claims {} bytes decompressed", self.name, self.raw_len));
                }
                // The index records the decompressed size: one pass into a buffer of exactly
                // that size; an entry that decompresses to any other size is damaged.
                let mut exact = vec![0; self.raw_len];
                match lz4_flex::block::decompress_into(self.data, &mut exact) {
                    Ok(written) if written == self.raw_len => exact,
                    Ok(written) => {
                        return Err(format!(
                            "{}: the entry decompresses to {written} bytes, not {}",
                            self.name, self.raw_len
                        ));
                    }
                    Err(e) => return Err(format!("{}: the entry does not decompress: {e}", self.name)),
                }
            }
            Kind::OtherRegions => self.data.to_vec(),
        };
        String::from_utf8(bytes).map_err(|_| format!("{}: the entry is not UTF-8", self.name))
    }
}

/// Writes an archive of `records` (name, kind, text), which need not be sorted; names must
/// be unique.
pub fn write(records: &[(String, Kind, String)]) -> Result<Vec<u8>, String> {
    let mut sorted: Vec<&(String, Kind, String)> = records.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some((twice, _)) = sorted.iter().zip(sorted.iter().skip(1)).find(|(a, b)| a.0 == b.0) {
        return Err(format!("{} is listed twice", twice.0));
    }
    let word = |n: usize| u32::try_from(n).map(u32::to_le_bytes).map_err(|_| "the archive is too large".to_owned());
    let (mut index, mut names, mut data): (Vec<u8>, Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new(), Vec::new());
    for (name, kind, text) in sorted {
        let (code, stored) = match kind {
            Kind::Vendored => (0u8, lz4_flex::block::compress(text.as_bytes())),
            Kind::OtherRegions => (1u8, text.as_bytes().to_vec()),
        };
        index.extend(word(names.len())?);
        index.extend(u16::try_from(name.len()).map_err(|_| format!("{name}: name too long"))?.to_le_bytes());
        index.extend([code, 0]);
        index.extend(word(data.len())?);
        index.extend(word(stored.len())?);
        index.extend(word(text.len())?);
        names.extend(name.as_bytes());
        data.extend(stored);
    }
    let mut out = Vec::with_capacity(HEADER + index.len() + names.len() + data.len());
    out.extend(MAGIC);
    out.extend(word(records.len())?);
    out.extend(word(names.len())?);
    out.extend(index);
    out.extend(names);
    out.extend(data);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_records_are_found_by_name_and_read_back() {
        let records = vec![
            ("AWS::B::B".to_owned(), Kind::Vendored, "bee\nschema".to_owned()),
            ("AWS::A::A".to_owned(), Kind::Vendored, "a".repeat(1000)),
            ("AWS::C::C".to_owned(), Kind::OtherRegions, "us-west-2,eu-west-1".to_owned()),
        ];
        let bytes = write(&records).unwrap();
        let archive = Archive::new(&bytes).unwrap();
        assert_eq!(archive.len(), 3);
        let names: Vec<&str> = archive.records().map(|r| r.name).collect();
        assert_eq!(names, ["AWS::A::A", "AWS::B::B", "AWS::C::C"]);
        let a = archive.record(archive.find("AWS::A::A").unwrap()).unwrap();
        assert_eq!(a.text().unwrap(), "a".repeat(1000));
        assert!(a.data.len() < 100, "compressed");
        let c = archive.record(archive.find("AWS::C::C").unwrap()).unwrap();
        assert_eq!((c.kind, c.text().unwrap().as_str()), (Kind::OtherRegions, "us-west-2,eu-west-1"));
        assert_eq!(archive.find("AWS::D::D"), None);
        assert_eq!(archive.find("AWS::0::0"), None);
    }

    #[test]
    fn damaged_bytes_are_refused_not_panicked_on() {
        let bytes = write(&[("AWS::A::A".to_owned(), Kind::Vendored, "text".to_owned())]).unwrap();
        assert!(Archive::new(b"nope").is_none());
        assert!(Archive::new(&bytes[..20]).is_none(), "truncated index");
        let mut corrupt = bytes.clone();
        let last = corrupt.len() - 1;
        corrupt[last] ^= 0xff;
        let archive = Archive::new(&corrupt).unwrap();
        let _ = archive.record(0).unwrap().text();
        let mut bad_kind = bytes;
        bad_kind[HEADER + 6] = 9;
        assert!(Archive::new(&bad_kind).unwrap().record(0).is_none());
        assert!(
            write(&[("X".into(), Kind::Vendored, String::new()), ("X".into(), Kind::Vendored, String::new())]).is_err()
        );
    }

    /// LZ4 blocks carry no checksum: what the index says of an entry is checked instead.
    #[test]
    fn an_entry_whose_sizes_disagree_with_the_index_is_an_error() {
        let bytes = write(&[("AWS::A::A".to_owned(), Kind::Vendored, "a".repeat(1000))]).unwrap();
        let with = |offset: usize, value: u32| {
            let mut changed = bytes.clone();
            changed[HEADER + offset..HEADER + offset + 4].copy_from_slice(&value.to_le_bytes());
            changed
        };
        let text = |bytes: &[u8]| Archive::new(bytes).unwrap().record(0).unwrap().text().unwrap_err();
        let huge = u32::try_from(MAX_RAW + 1).unwrap();
        assert_eq!(text(&with(16, huge)), format!("AWS::A::A: the entry claims {huge} bytes decompressed"));
        assert_eq!(text(&with(16, 1001)), "AWS::A::A: the entry decompresses to 1000 bytes, not 1001");
        assert!(text(&with(16, 999)).starts_with("AWS::A::A: the entry does not decompress: "));
        let stored = u32::try_from(Archive::new(&bytes).unwrap().record(0).unwrap().stored().len()).unwrap();
        assert!(text(&with(12, stored - 1)).starts_with("AWS::A::A: the entry does not decompress: "));
    }
}
