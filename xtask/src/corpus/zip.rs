//! Just enough of the ZIP format to read a Python wheel: the central directory, stored and
//! deflated entries. Wheels are plain ZIP files without ZIP64 records or encryption.

use std::io::Read;

/// End of central directory record signature.
const END_OF_DIRECTORY: u32 = 0x0605_4b50;
/// Central directory file header signature.
const DIRECTORY_ENTRY: u32 = 0x0201_4b50;
/// Local file header signature.
const LOCAL_HEADER: u32 = 0x0403_4b50;

/// One file of the archive, as listed by its central directory.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Path inside the archive, with `/` separators.
    pub name: String,
    method: u16,
    compressed_size: usize,
    uncompressed_size: usize,
    local_header_offset: usize,
}

/// A ZIP archive held in memory.
pub struct Archive<'a> {
    bytes: &'a [u8],
    entries: Vec<Entry>,
}

fn u16_at(bytes: &[u8], at: usize) -> Result<u16, String> {
    bytes
        .get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| format!("archive truncated at byte {at}"))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, String> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("archive truncated at byte {at}"))
}

impl<'a> Archive<'a> {
    /// Reads the central directory of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Result<Self, String> {
        // The end record is 22 bytes plus a comment of up to 65,535 bytes.
        let earliest = bytes.len().saturating_sub(22 + 65_535);
        let end = (earliest..=bytes.len().saturating_sub(22))
            .rev()
            .find(|&at| u32_at(bytes, at) == Ok(END_OF_DIRECTORY))
            .ok_or("not a ZIP archive: no end of central directory record")?;
        let count = usize::from(u16_at(bytes, end + 10)?);
        let mut at = u32_at(bytes, end + 16)? as usize;
        let mut entries = Vec::with_capacity(count);
        for index in 0..count {
            if u32_at(bytes, at)? != DIRECTORY_ENTRY {
                return Err(format!(
                    "central directory entry {index} has a bad signature"
                ));
            }
            let name_len = usize::from(u16_at(bytes, at + 28)?);
            let extra_len = usize::from(u16_at(bytes, at + 30)?);
            let comment_len = usize::from(u16_at(bytes, at + 32)?);
            let name = bytes
                .get(at + 46..at + 46 + name_len)
                .ok_or_else(|| format!("central directory entry {index} is truncated"))?;
            entries.push(Entry {
                name: String::from_utf8_lossy(name).into_owned(),
                method: u16_at(bytes, at + 10)?,
                compressed_size: u32_at(bytes, at + 20)? as usize,
                uncompressed_size: u32_at(bytes, at + 24)? as usize,
                local_header_offset: u32_at(bytes, at + 42)? as usize,
            });
            at += 46 + name_len + extra_len + comment_len;
        }
        Ok(Self { bytes, entries })
    }

    /// The archive's files in directory order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The uncompressed content of `entry`.
    pub fn read(&self, entry: &Entry) -> Result<Vec<u8>, String> {
        let at = entry.local_header_offset;
        if u32_at(self.bytes, at)? != LOCAL_HEADER {
            return Err(format!("{}: bad local header signature", entry.name));
        }
        let start = at
            + 30
            + usize::from(u16_at(self.bytes, at + 26)?)
            + usize::from(u16_at(self.bytes, at + 28)?);
        let data = self
            .bytes
            .get(start..start + entry.compressed_size)
            .ok_or_else(|| format!("{}: data runs past the end of the archive", entry.name))?;
        let mut out = Vec::with_capacity(entry.uncompressed_size);
        match entry.method {
            0 => out.extend_from_slice(data),
            8 => {
                flate2::read::DeflateDecoder::new(data)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("{}: cannot inflate: {e}", entry.name))?;
            }
            other => {
                return Err(format!(
                    "{}: compression method {other} is not supported",
                    entry.name
                ));
            }
        }
        if out.len() != entry.uncompressed_size {
            return Err(format!(
                "{}: inflated to {} bytes, the directory says {}",
                entry.name,
                out.len(),
                entry.uncompressed_size
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-assembled archive with one stored file `a.txt` holding `hi`.
    fn stored_archive() -> Vec<u8> {
        let mut zip = Vec::new();
        let name = b"a.txt";
        zip.extend_from_slice(&LOCAL_HEADER.to_le_bytes());
        zip.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, method 0, time, date
        zip.extend_from_slice(&0u32.to_le_bytes()); // crc (not checked)
        zip.extend_from_slice(&2u32.to_le_bytes());
        zip.extend_from_slice(&2u32.to_le_bytes());
        zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
        zip.extend_from_slice(&0u16.to_le_bytes());
        zip.extend_from_slice(name);
        zip.extend_from_slice(b"hi");
        let directory = zip.len() as u32;
        zip.extend_from_slice(&DIRECTORY_ENTRY.to_le_bytes());
        zip.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // versions, flags, method, time, date
        zip.extend_from_slice(&0u32.to_le_bytes());
        zip.extend_from_slice(&2u32.to_le_bytes());
        zip.extend_from_slice(&2u32.to_le_bytes());
        zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
        zip.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        zip.extend_from_slice(&0u32.to_le_bytes()); // local header offset
        zip.extend_from_slice(name);
        let size = zip.len() as u32 - directory;
        zip.extend_from_slice(&END_OF_DIRECTORY.to_le_bytes());
        zip.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&directory.to_le_bytes());
        zip.extend_from_slice(&0u16.to_le_bytes());
        zip
    }

    #[test]
    fn reads_a_stored_entry() {
        let bytes = stored_archive();
        let archive = Archive::new(&bytes).unwrap();
        assert_eq!(archive.entries().len(), 1);
        assert_eq!(archive.entries()[0].name, "a.txt");
        assert_eq!(archive.read(&archive.entries()[0]).unwrap(), b"hi");
    }

    #[test]
    fn rejects_what_is_not_an_archive() {
        let error = Archive::new(b"plain text, no zip here").err().unwrap();
        assert!(error.contains("not a ZIP archive"), "{error}");
    }

    #[test]
    fn a_truncated_archive_is_an_error_not_a_panic() {
        let bytes = stored_archive();
        for cut in 0..bytes.len() {
            let _ = Archive::new(&bytes[cut..]).and_then(|a| {
                a.entries()
                    .iter()
                    .map(|e| a.read(e))
                    .collect::<Result<Vec<_>, _>>()
            });
        }
    }
}
