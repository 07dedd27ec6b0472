use super::*;
use std::io::Write;

fn gguf_bytes(tensor_bytes: usize) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&3u32.to_le_bytes());
    b.extend_from_slice(&1u64.to_le_bytes()); // tensors
    b.extend_from_slice(&1u64.to_le_bytes()); // keys
    let key = b"general.architecture";
    b.extend_from_slice(&(key.len() as u64).to_le_bytes());
    b.extend_from_slice(key);
    b.extend_from_slice(&8u32.to_le_bytes());
    b.extend_from_slice(&5u64.to_le_bytes());
    b.extend_from_slice(b"llama");
    let name = b"w";
    b.extend_from_slice(&(name.len() as u64).to_le_bytes());
    b.extend_from_slice(name);
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&64u64.to_le_bytes()); // 64 F32 elements = 256 bytes
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&0u64.to_le_bytes());
    while b.len() % 32 != 0 {
        b.push(0);
    }
    b.extend(std::iter::repeat_n(0u8, tensor_bytes));
    b
}

fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    f
}

#[test]
fn a_complete_file_is_read() {
    let f = write(&gguf_bytes(256));
    let info = inspect(f.path()).unwrap();
    assert_eq!(info.architecture(), "llama");
    assert_eq!(info.parameters, 64);
    assert_eq!(info.quantization(), "unknown");
}

#[test]
fn missing_tensor_bytes_are_found() {
    let f = write(&gguf_bytes(255));
    assert!(matches!(
        inspect(f.path()),
        Err(GgufError::Truncated { .. })
    ));
}

#[test]
fn every_prefix_of_the_header_is_rejected_without_panicking() {
    let full = gguf_bytes(256);
    for n in 0..full.len() - 256 {
        let f = write(&full[..n]);
        assert!(inspect(f.path()).is_err(), "prefix of {n} bytes accepted");
    }
}

/// A header with `keys` (raw records: name, type, value bytes) and no tensors.
fn header(keys: &[(&[u8], u32, Vec<u8>)]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&3u32.to_le_bytes());
    b.extend_from_slice(&0u64.to_le_bytes());
    b.extend_from_slice(&(keys.len() as u64).to_le_bytes());
    for (key, ty, value) in keys {
        b.extend_from_slice(&(key.len() as u64).to_le_bytes());
        b.extend_from_slice(key);
        b.extend_from_slice(&ty.to_le_bytes());
        b.extend_from_slice(value);
    }
    b
}

fn strings(texts: &[&str]) -> Vec<u8> {
    let mut b = T_STRING.to_le_bytes().to_vec();
    b.extend_from_slice(&(texts.len() as u64).to_le_bytes());
    for t in texts {
        b.extend_from_slice(&(t.len() as u64).to_le_bytes());
        b.extend_from_slice(t.as_bytes());
    }
    b
}

#[test]
fn arrays_nested_a_hundred_thousand_deep_are_refused_without_recursion() {
    let mut value = Vec::new();
    for _ in 0..100_000 {
        value.extend_from_slice(&T_ARRAY.to_le_bytes());
        value.extend_from_slice(&1u64.to_le_bytes());
    }
    value.extend_from_slice(&4u32.to_le_bytes());
    value.extend_from_slice(&0u64.to_le_bytes());
    let f = write(&header(&[(b"deep", T_ARRAY, value)]));
    let err = inspect(f.path()).unwrap_err().to_string();
    assert!(err.contains("array of arrays"), "{err}");
}

#[test]
fn counts_the_file_cannot_hold_reserve_nothing() {
    // A 64 GiB sparse file whose tensor count would pass a "8 bytes a record" test: a
    // vector reserved from it would ask for tens of gigabytes.
    let mut b = gguf_bytes(0);
    let len = 64u64 << 30;
    b[8..16].copy_from_slice(&(len / 33).to_le_bytes());
    let f = write(&b);
    f.as_file().set_len(len).unwrap();
    let started = std::time::Instant::now();
    assert!(inspect(f.path()).is_err());
    assert!(started.elapsed().as_secs() < 5);
    b[8..16].copy_from_slice(&(len / 8).to_le_bytes());
    let f = write(&b);
    f.as_file().set_len(len).unwrap();
    assert!(matches!(
        inspect(f.path()),
        Err(GgufError::Truncated { .. })
    ));
}

#[test]
fn a_key_as_long_as_the_file_is_refused_before_reading_it() {
    let mut b = header(&[]);
    b[16..24].copy_from_slice(&1u64.to_le_bytes());
    b.extend_from_slice(&(1u64 << 30).to_le_bytes());
    let f = write(&b);
    f.as_file()
        .set_len(b.len() as u64 + (1 << 30) + 16)
        .unwrap();
    let err = inspect(f.path()).unwrap_err().to_string();
    assert!(
        err.contains("the name of metadata key 0 is 1073741824 bytes long"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.gguf");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(inspect(&fifo).map(|_| ())));
    let got = rx.recv_timeout(std::time::Duration::from_secs(5));
    let err = got.expect("inspect blocked on a FIFO").unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[test]
fn the_vocabulary_is_summed_up_without_keeping_it() {
    let tokens = strings(&["a", "", "<0x0A>", "b", "a"]);
    let f = write(&header(&[(TOKENS_KEY.as_bytes(), T_ARRAY, tokens)]));
    let vocab = inspect(f.path()).unwrap().vocab.unwrap();
    assert_eq!((vocab.tokens, vocab.empty), (5, 1));
    assert_eq!(vocab.duplicate, Some((4, "a".to_string())));
    assert_eq!(vocab.missing_byte(), Some(0));
    // llama.cpp names an empty token 3 "[EMPTY_3]", so that text taken by another clashes.
    let tokens = strings(&["[EMPTY_1]", ""]);
    let f = write(&header(&[(TOKENS_KEY.as_bytes(), T_ARRAY, tokens)]));
    assert!(inspect(f.path())
        .unwrap()
        .vocab
        .unwrap()
        .duplicate
        .is_some());
}

#[test]
fn alignment_must_be_a_u32_power_of_two_and_tensors_32_byte_aligned() {
    for (ty, value) in [
        (T_U32, 3u32.to_le_bytes().to_vec()),
        (10, 32u64.to_le_bytes().to_vec()),
    ] {
        let f = write(&header(&[(b"general.alignment", ty, value)]));
        let err = inspect(f.path()).unwrap_err().to_string();
        assert!(err.contains("general.alignment"), "{err}");
    }
    // gguf_bytes' header is 102 bytes, padded to 128; with an alignment key of 33 bytes
    // and an alignment of 1, its data would start at byte 135.
    let mut b = gguf_bytes(256);
    assert_eq!(b.len(), 128 + 256);
    b.drain(102..128);
    b[16..24].copy_from_slice(&2u64.to_le_bytes());
    let mut key = Vec::new();
    key.extend_from_slice(&17u64.to_le_bytes());
    key.extend_from_slice(b"general.alignment");
    key.extend_from_slice(&T_U32.to_le_bytes());
    key.extend_from_slice(&1u32.to_le_bytes());
    b.splice(24..24, key);
    let f = write(&b);
    let err = inspect(f.path()).unwrap_err().to_string();
    assert!(err.contains("32-byte boundary"), "{err}");
}

#[test]
fn text_is_not_gguf() {
    let f = write(b"not a model\n");
    assert!(matches!(inspect(f.path()), Err(GgufError::NotGguf { .. })));
}

#[test]
fn a_huge_declared_string_is_rejected_before_allocating() {
    let mut b = gguf_bytes(256);
    // the key length of the first metadata entry
    b[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
    let f = write(&b);
    assert!(inspect(f.path()).is_err());
}
