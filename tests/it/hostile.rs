//! Hostile model files never take pai down (issue 29). A seeded generator mutates the headers
//! of the three real models and of small synthetic models and adapters, a few hundred files in
//! every category the issue found: each goes through pai's own check in-process, then through
//! the real `pai model add` and `pai ask --model` (`--lora` for adapters), under a 4 GiB
//! address-space limit, and each model through `pai index add --semantic` as the encoder;
//! each must end with exit 1 (3 for the encoder, a configuration error) and one
//! sentence naming the problem: no signal, no panic, no hang. Mutated files are written sparse
//! (the header, then a hole as long as the tensor data), so a 250 MB model costs a few MB.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::util::{gemma, minilm, smollm2, stderr_of, stdout_of, Env};

const T_U32: u32 = 4;
const T_I32: u32 = 5;
const T_F32: u32 = 6;
const T_STRING: u32 = 8;
const T_ARRAY: u32 = 9;
const T_U64: u32 = 10;
const T_F64: u32 = 12;

/// A GGUF header held as records, so that a mutation changes one and writes the file again.
#[derive(Clone)]
struct Gguf {
    keys: Vec<Key>,
    tensors: Vec<Tensor>,
    data_len: u64,
    /// Counts written in place of the true ones, for files that lie about them.
    tensor_count: Option<u64>,
    kv_count: Option<u64>,
    /// Bytes written after the records instead of the padding and data (raw tails).
    raw_tail: Option<Vec<u8>>,
}

#[derive(Clone)]
struct Key {
    name: Vec<u8>,
    ty: u32,
    value: Vec<u8>,
}

#[derive(Clone)]
struct Tensor {
    name: String,
    dims: Vec<u64>,
    ty: u32,
    offset: u64,
}

fn scalar_size(ty: u32) -> u64 {
    match ty {
        0 | 1 | 7 => 1,
        2 | 3 => 2,
        4..=6 => 4,
        _ => 8,
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> &[u8] {
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        s
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take(4).try_into().unwrap())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take(8).try_into().unwrap())
    }
    fn string(&mut self) -> Vec<u8> {
        let n = self.u64() as usize;
        self.take(n).to_vec()
    }
    /// The raw bytes of a value of type `ty`.
    fn value(&mut self, ty: u32) -> Vec<u8> {
        let start = self.pos;
        match ty {
            T_STRING => {
                self.string();
            }
            T_ARRAY => {
                let item = self.u32();
                let n = self.u64();
                for _ in 0..n {
                    self.value(item);
                }
            }
            _ => {
                self.take(scalar_size(ty) as usize);
            }
        }
        self.b[start..self.pos].to_vec()
    }
}

impl Gguf {
    /// Reads a real model's header (its first megabytes hold it).
    fn read(path: &Path) -> Self {
        let file_len = std::fs::metadata(path).unwrap().len();
        let mut head = Vec::new();
        use std::io::Read;
        std::fs::File::open(path)
            .unwrap()
            .take(16 << 20)
            .read_to_end(&mut head)
            .unwrap();
        let mut c = Cursor { b: &head, pos: 8 };
        let (n_tensors, n_keys) = (c.u64(), c.u64());
        let keys = (0..n_keys)
            .map(|_| {
                let name = c.string();
                let ty = c.u32();
                let value = c.value(ty);
                Key { name, ty, value }
            })
            .collect();
        let tensors = (0..n_tensors)
            .map(|_| {
                let name = String::from_utf8(c.string()).unwrap();
                let n = c.u32();
                let dims = (0..n).map(|_| c.u64()).collect();
                Tensor {
                    name,
                    dims,
                    ty: c.u32(),
                    offset: c.u64(),
                }
            })
            .collect();
        let data_start = (c.pos as u64).div_ceil(32) * 32;
        Gguf {
            keys,
            tensors,
            data_len: file_len - data_start,
            tensor_count: None,
            kv_count: None,
            raw_tail: None,
        }
    }

    fn records(&self) -> Vec<u8> {
        let mut b = b"GGUF".to_vec();
        b.extend_from_slice(&3u32.to_le_bytes());
        let tensors = self.tensor_count.unwrap_or(self.tensors.len() as u64);
        b.extend_from_slice(&tensors.to_le_bytes());
        let keys = self.kv_count.unwrap_or(self.keys.len() as u64);
        b.extend_from_slice(&keys.to_le_bytes());
        for k in &self.keys {
            b.extend_from_slice(&(k.name.len() as u64).to_le_bytes());
            b.extend_from_slice(&k.name);
            b.extend_from_slice(&k.ty.to_le_bytes());
            b.extend_from_slice(&k.value);
        }
        for t in &self.tensors {
            b.extend_from_slice(&string(t.name.as_bytes()));
            b.extend_from_slice(&(t.dims.len() as u32).to_le_bytes());
            for d in &t.dims {
                b.extend_from_slice(&d.to_le_bytes());
            }
            b.extend_from_slice(&t.ty.to_le_bytes());
            b.extend_from_slice(&t.offset.to_le_bytes());
        }
        b
    }

    /// Writes the file: the records, then padding and a hole as long as the tensor data.
    fn write(&self, path: &Path) {
        let mut b = self.records();
        if let Some(tail) = &self.raw_tail {
            b.extend_from_slice(tail);
            std::fs::write(path, &b).unwrap();
            return;
        }
        let alignment = match self.get(b"general.alignment") {
            Some(k) if k.ty == T_U32 => u32::from_le_bytes(k.value[..4].try_into().unwrap()),
            _ => 32,
        }
        .max(1) as u64;
        let data_start = (b.len() as u64).div_ceil(alignment) * alignment;
        std::fs::write(path, &b).unwrap();
        let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        f.set_len(data_start + self.data_len).unwrap();
    }

    fn get(&self, name: &[u8]) -> Option<&Key> {
        self.keys.iter().find(|k| k.name == name)
    }

    fn set(&mut self, name: &str, ty: u32, value: Vec<u8>) {
        match self.keys.iter_mut().find(|k| k.name == name.as_bytes()) {
            Some(k) => (k.ty, k.value) = (ty, value),
            None => self.keys.push(Key {
                name: name.as_bytes().to_vec(),
                ty,
                value,
            }),
        }
    }

    fn arch(&self) -> String {
        let v = &self.get(b"general.architecture").unwrap().value;
        String::from_utf8(v[8..].to_vec()).unwrap()
    }

    fn tokens(&self) -> Vec<Vec<u8>> {
        let v = &self.get(b"tokenizer.ggml.tokens").unwrap().value;
        let mut c = Cursor { b: v, pos: 4 };
        let n = c.u64();
        (0..n).map(|_| c.string()).collect()
    }

    fn set_tokens(&mut self, tokens: &[Vec<u8>]) {
        let mut v = T_STRING.to_le_bytes().to_vec();
        v.extend_from_slice(&(tokens.len() as u64).to_le_bytes());
        for t in tokens {
            v.extend_from_slice(&string(t));
        }
        self.set("tokenizer.ggml.tokens", T_ARRAY, v);
    }
}

fn string(s: &[u8]) -> Vec<u8> {
    let mut b = (s.len() as u64).to_le_bytes().to_vec();
    b.extend_from_slice(s);
    b
}

/// A small model made from nothing: 300 tokens (every byte among them), one layer, an F32
/// norm. pai's check accepts it; llama.cpp never sees it.
fn synthetic() -> Gguf {
    let mut g = Gguf {
        keys: Vec::new(),
        tensors: Vec::new(),
        data_len: 0,
        tensor_count: None,
        kv_count: None,
        raw_tail: None,
    };
    g.set("general.architecture", T_STRING, string(b"llama"));
    g.set("llama.block_count", T_U32, 1u32.to_le_bytes().to_vec());
    g.set(
        "llama.attention.layer_norm_rms_epsilon",
        T_F32,
        1e-5f32.to_le_bytes().to_vec(),
    );
    g.set("tokenizer.ggml.model", T_STRING, string(b"llama"));
    let mut tokens: Vec<Vec<u8>> = vec![b"<unk>".to_vec(), b"<s>".to_vec(), b"</s>".to_vec()];
    tokens.extend((0..=255u8).map(|b| format!("<0x{b:02X}>").into_bytes()));
    tokens.extend((0..41).map(|i| format!("piece{i}").into_bytes()));
    g.set_tokens(&tokens);
    for (name, dims) in [
        ("token_embd.weight", vec![64, 300]),
        ("blk.0.attn_norm.weight", vec![64]),
    ] {
        let offset = g.data_len;
        g.data_len += dims.iter().product::<u64>() * 4;
        g.tensors.push(Tensor {
            name: name.into(),
            dims,
            ty: 0,
            offset,
        });
    }
    g
}

/// A LoRA adapter for the synthetic model, with `pairs` lora_a/lora_b pairs.
fn adapter(pairs: usize) -> Gguf {
    let mut g = synthetic();
    g.keys.clear();
    g.tensors.clear();
    g.data_len = 0;
    g.set("general.architecture", T_STRING, string(b"llama"));
    g.set("general.type", T_STRING, string(b"adapter"));
    g.set("adapter.type", T_STRING, string(b"lora"));
    g.set("adapter.lora.alpha", T_F32, 16f32.to_le_bytes().to_vec());
    for i in 0..pairs {
        for (end, dims) in [("lora_a", [64, 8]), ("lora_b", [8, 64])] {
            g.tensors.push(Tensor {
                name: format!("blk.{i}.attn_q.weight.{end}"),
                dims: dims.to_vec(),
                ty: 0,
                offset: g.data_len,
            });
            g.data_len += 64 * 8 * 4;
        }
    }
    g
}

/// xorshift64*: the same files on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// What pai must say about a file: refuse it with a sentence holding this text, or (for
/// random damage) anything at all but a crash or a hang.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    Refused(&'static str),
    NoCrash,
}

struct Case {
    category: &'static str,
    file: Gguf,
    expect: Expect,
    adapter: bool,
}

fn case(category: &'static str, file: Gguf, expect: Expect) -> Case {
    Case {
        category,
        file,
        expect,
        adapter: false,
    }
}

/// The vocabulary mutations, on any base with a vocabulary.
fn vocabulary_cases(base: &Gguf, rng: &mut Rng, out: &mut Vec<Case>) {
    let tokens = base.tokens();
    for _ in 0..3 {
        // An empty text is not copied: llama.cpp renames empty tokens apart.
        let i = loop {
            let i = rng.below(tokens.len() as u64 - 1) as usize;
            if !tokens[i].is_empty() {
                break i;
            }
        };
        let j = i + 1 + rng.below((tokens.len() - i - 1) as u64) as usize;
        let mut t = tokens.clone();
        t[j] = t[i].clone();
        let mut g = base.clone();
        g.set_tokens(&t);
        out.push(case(
            "duplicate token",
            g,
            Expect::Refused("which an earlier token already has"),
        ));
    }
    let mut g = base.clone();
    g.set_tokens(&[]);
    out.push(case(
        "empty vocabulary",
        g,
        Expect::Refused("tokens in its vocabulary, too few"),
    ));
    let mut g = base.clone();
    g.set_tokens(&vec![Vec::new(); tokens.len()]);
    out.push(case(
        "every token empty",
        g,
        Expect::Refused("every token is empty"),
    ));
    for (model, expect) in [
        ("none", "has no vocabulary"),
        ("no_vocab", "has no vocabulary"),
        ("klingon", "does not know"),
        ("rwkv", "does not fit"),
    ] {
        let mut g = base.clone();
        g.set("tokenizer.ggml.model", T_STRING, string(model.as_bytes()));
        out.push(case("bad tokenizer model", g, Expect::Refused(expect)));
    }
    let mut g = base.clone();
    g.set("tokenizer.ggml.model", T_U32, 7u32.to_le_bytes().to_vec());
    out.push(case(
        "bad tokenizer model",
        g,
        Expect::Refused("not a tokenizer's name"),
    ));
}

/// Counts, epsilons, norm types and alignment, on any model base.
fn hparam_cases(base: &Gguf, out: &mut Vec<Case>) {
    let arch = base.arch();
    for (ty, value) in [
        (T_U32, 0u64),
        (T_U32, u32::MAX as u64),
        (T_U32, 513),
        (T_U64, u64::MAX),
    ] {
        let mut g = base.clone();
        let bytes = if ty == T_U32 {
            (value as u32).to_le_bytes().to_vec()
        } else {
            value.to_le_bytes().to_vec()
        };
        g.set(&format!("{arch}.block_count"), ty, bytes);
        out.push(case(
            "block count",
            g,
            Expect::Refused("llama.cpp needs 1 to 512 layers"),
        ));
    }
    for (experts, used) in [(1u32 << 31, 2u32), (8, 9), (8, 0), (0, 2)] {
        let mut g = base.clone();
        g.set(
            &format!("{arch}.expert_count"),
            T_U32,
            experts.to_le_bytes().to_vec(),
        );
        g.set(
            &format!("{arch}.expert_used_count"),
            T_U32,
            used.to_le_bytes().to_vec(),
        );
        out.push(case(
            "expert count",
            g,
            Expect::Refused("expert counts do not fit"),
        ));
    }
    for eps in [f32::NAN, f32::INFINITY, -1.0] {
        for key in ["layer_norm_rms_epsilon", "layer_norm_epsilon"] {
            let mut g = base.clone();
            g.set(
                &format!("{arch}.attention.{key}"),
                T_F32,
                eps.to_le_bytes().to_vec(),
            );
            out.push(case(
                "bad epsilon",
                g,
                Expect::Refused("normalization epsilon"),
            ));
        }
    }
    let norms: Vec<usize> = (0..base.tensors.len())
        .filter(|&i| base.tensors[i].name.ends_with("_norm.weight"))
        .collect();
    for (n, &i) in norms.iter().enumerate().take(3) {
        let mut g = base.clone();
        // Q4_0, Q8_0 and Q4_K (where rows are whole K blocks): all smaller than F32, so the
        // data still fits the file.
        let whole_k_blocks = g.tensors[i].dims[0].is_multiple_of(256);
        g.tensors[i].ty = match n {
            0 => 2,
            1 => 8,
            _ if whole_k_blocks => 12,
            _ => 2,
        };
        out.push(case(
            "quantized norm weight",
            g,
            Expect::Refused("llama.cpp needs F32 there"),
        ));
    }
    for (ty, value, expect) in [
        (T_U32, 1u32.to_le_bytes().to_vec(), "32-byte boundary"),
        (T_U32, 0u32.to_le_bytes().to_vec(), "general.alignment"),
        (T_U32, 48u32.to_le_bytes().to_vec(), "general.alignment"),
        (T_U64, 32u64.to_le_bytes().to_vec(), "general.alignment"),
    ] {
        let mut g = base.clone();
        g.set("general.alignment", ty, value);
        // Make the records' length an odd number, so that an alignment of 1 misplaces data.
        if g.records().len().is_multiple_of(2) {
            g.set("x.pads", 0, vec![0]); // 19 bytes
        }
        out.push(case("alignment", g, Expect::Refused(expect)));
    }
}

/// Structural damage: nesting, counts, key lengths, truncation and random flips.
fn structure_cases(base: &Gguf, rng: &mut Rng, out: &mut Vec<Case>) {
    let mut g = base.clone();
    let mut deep = Vec::new();
    for _ in 0..100_000 {
        deep.extend_from_slice(&T_ARRAY.to_le_bytes());
        deep.extend_from_slice(&1u64.to_le_bytes());
    }
    deep.extend_from_slice(&T_U32.to_le_bytes());
    deep.extend_from_slice(&0u64.to_le_bytes());
    // The value of an array key starts with its item type: here, array after array.
    g.keys.insert(
        0,
        Key {
            name: b"deep".to_vec(),
            ty: T_ARRAY,
            value: deep,
        },
    );
    out.push(case("deep nesting", g, Expect::Refused("array of arrays")));
    let size = base.records().len() as u64 + base.data_len;
    for count in [size / 8, size / 13, u64::MAX, 1 << 40] {
        let mut g = base.clone();
        g.tensor_count = Some(count);
        out.push(case("huge count", g, Expect::NoCrash));
        let mut g = base.clone();
        g.kv_count = Some(count);
        out.push(case("huge count", g, Expect::NoCrash));
    }
    for len in [1u64 << 20, u64::MAX / 2] {
        let mut g = base.clone();
        g.keys.clear();
        g.kv_count = Some(1);
        let mut tail = len.to_le_bytes().to_vec();
        tail.resize(tail.len() + (1 << 20) + 64, b'k');
        g.raw_tail = Some(tail);
        g.tensors.clear();
        g.tensor_count = Some(0);
        out.push(case("huge key length", g, Expect::NoCrash));
    }
    let records = base.records();
    for _ in 0..12 {
        let mut g = base.clone();
        let cut = rng.below(records.len() as u64) as usize;
        g.keys.clear();
        g.tensors.clear();
        g.tensor_count = Some(base.tensors.len() as u64);
        g.kv_count = Some(base.keys.len() as u64);
        g.raw_tail = Some(records[24..cut.max(24)].to_vec());
        out.push(case("truncation", g, Expect::Refused("truncated")));
    }
    for _ in 0..12 {
        let mut flipped = records[24..].to_vec();
        for _ in 0..1 + rng.below(8) {
            let at = rng.below(flipped.len().min(4096) as u64) as usize;
            flipped[at] ^= 1 << rng.below(8);
        }
        let mut g = base.clone();
        g.keys.clear();
        g.tensors.clear();
        g.tensor_count = Some(base.tensors.len() as u64);
        g.kv_count = Some(base.keys.len() as u64);
        g.raw_tail = Some(flipped);
        out.push(case("random flips", g, Expect::NoCrash));
    }
}

fn adapter_cases(out: &mut Vec<Case>) {
    let mut push = |category, file, expect| {
        out.push(Case {
            category,
            file,
            expect,
            adapter: true,
        })
    };
    for (ty, value) in [
        (T_F64, 16f64.to_le_bytes().to_vec()),
        (T_U32, 16u32.to_le_bytes().to_vec()),
        (T_I32, 16i32.to_le_bytes().to_vec()),
        (T_STRING, string(b"16")),
        (T_F32, f32::NAN.to_le_bytes().to_vec()),
    ] {
        let mut g = adapter(2);
        g.set("adapter.lora.alpha", ty, value);
        push("lora alpha type", g, Expect::Refused("adapter.lora.alpha"));
    }
    let mut g = adapter(2);
    g.tensors.pop();
    push(
        "lora lone tensor",
        g,
        Expect::Refused("without its partner"),
    );
}

fn all_cases() -> Vec<Case> {
    let mut rng = Rng(0x29_2929_2929);
    let mut out = Vec::new();
    let bases = [
        Gguf::read(&smollm2()),
        Gguf::read(&gemma()),
        Gguf::read(&minilm()),
        synthetic(),
    ];
    for base in &bases {
        vocabulary_cases(base, &mut rng, &mut out);
        hparam_cases(base, &mut out);
    }
    // Structure is the same whatever the model; the small ones make the files quick.
    for base in [&bases[2], &bases[3]] {
        structure_cases(base, &mut rng, &mut out);
    }
    for _ in 0..8 {
        structure_cases(&bases[3], &mut rng, &mut out);
    }
    // A tokenizer that does not fit its vocabulary: SentencePiece on SmolLM2's BPE texts.
    let mut g = bases[0].clone();
    g.set("tokenizer.ggml.model", T_STRING, string(b"llama"));
    out.push(case(
        "tokenizer misfit",
        g,
        Expect::Refused("has no token for the byte"),
    ));
    adapter_cases(&mut out);
    out
}

/// What pai's own check says of `path`, in-process.
fn check(path: &Path, adapter: bool) -> Result<(), String> {
    let result = if adapter {
        pai::models::adapter::check_file(path, None).map(|_| ())
    } else {
        pai::models::registry::check_file(path).map(|_| ())
    };
    result.map_err(|e| e.message)
}

#[test]
fn the_real_models_pass_the_check() {
    for path in [smollm2(), gemma(), minilm()] {
        check(&path, false).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthetic.gguf");
    synthetic().write(&path);
    check(&path, false).unwrap();
    adapter(2).write(&path);
    check(&path, true).unwrap();
}

#[test]
fn hundreds_of_hostile_files_are_refused_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.gguf");
    let cases = all_cases();
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    let started = Instant::now();
    let mut per_category = std::collections::BTreeMap::<&str, usize>::new();
    for (i, c) in cases.iter().enumerate() {
        c.file.write(&path);
        let one = Instant::now();
        let got = check(&path, c.adapter);
        assert!(
            one.elapsed() < Duration::from_secs(5),
            "case {i} ({}) took {:?}",
            c.category,
            one.elapsed()
        );
        if let Expect::Refused(text) = c.expect {
            let err = got.expect_err(&format!("case {i} ({}) was accepted", c.category));
            assert!(err.contains(text), "case {i} ({}): {err}", c.category);
            assert!(!err.contains('\n') && err.len() < 1000, "case {i}: {err}");
        }
        *per_category.entry(c.category).or_default() += 1;
    }
    eprintln!(
        "{} files in {:?}: {per_category:?}",
        cases.len(),
        started.elapsed()
    );
}

/// `pai ARGS` under an address-space limit of 4 GiB (so an allocation a hostile count asks for
/// fails where a machine with more memory would hide it), killed past `deadline`.
fn run_bounded(env: &Env, args: &[&str], deadline: Duration) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut command = env.std_command(args);
    // SAFETY: setrlimit is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 4 << 30,
                rlim_max: 4 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > deadline {
            child.kill().unwrap();
            panic!("pai {args:?} still ran after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// One sentence on stderr, `pai: …`, then only hints.
fn assert_one_sentence(out: &std::process::Output, what: &str, text: &str) {
    let err = stderr_of(out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    let mut lines = err.lines();
    let first = lines.next().unwrap_or_default();
    assert!(
        first.starts_with("pai: ") && first.contains(text),
        "{what}: {err}"
    );
    assert!(lines.all(|l| l.starts_with("  hint: ")), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
}

/// The commands that read a hostile file: `model add`, and `ask` with it as the model or as an
/// adapter on SmolLM2 (refused before llama.cpp loads anything).
fn commands_for(path: &str, adapter: bool) -> Vec<Vec<&str>> {
    let ask = ["ask", "--no-context", "hi"];
    if adapter {
        vec![
            vec!["model", "add", "--adapter", path, "--name", "x"],
            [&ask[..], &["--lora", path]].concat(),
        ]
    } else {
        vec![
            vec!["model", "add", path],
            [&ask[..], &["--model", path]].concat(),
        ]
    }
}

#[test]
fn every_hostile_file_is_refused_by_model_add_and_ask() {
    let env = Env::with_smol();
    for (i, c) in all_cases().into_iter().enumerate() {
        let path: PathBuf = env.path(&format!("case{i}.gguf"));
        c.file.write(&path);
        let what = format!("case {i} ({})", c.category);
        let Expect::Refused(text) = c.expect else {
            // Random damage may leave a readable file: only `model add` runs, which reads the
            // header alone, and it must end by itself.
            let out = run_bounded(
                &env,
                &["model", "add", path.to_str().unwrap()],
                Duration::from_secs(20),
            );
            let err = stderr_of(&out);
            assert!(
                out.status.code().is_some() && !err.contains("panicked"),
                "{what}: {err}"
            );
            continue;
        };
        for args in commands_for(path.to_str().unwrap(), c.adapter) {
            let out = run_bounded(&env, &args, Duration::from_secs(20));
            assert_one_sentence(&out, &format!("{what} {}", args[0]), text);
        }
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn two_hundred_thousand_adapter_pairs_are_paired_in_linear_time() {
    let env = Env::new();
    let path = env.path("wide.gguf");
    adapter(200_000).write(&path);
    let started = Instant::now();
    check(&path, true).unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "{took:?}");
    let out = run_bounded(
        &env,
        &[
            "model",
            "add",
            "--adapter",
            path.to_str().unwrap(),
            "--name",
            "wide",
        ],
        Duration::from_secs(30),
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn a_fifo_named_like_a_model_is_refused_at_once() {
    let env = Env::new();
    let fifo = env.path("x.gguf");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let fifo = fifo.to_str().unwrap();
    for args in [
        &["model", "add", fifo][..],
        &["ask", "--model", fifo, "--no-context", "hi"],
    ] {
        let out = run_bounded(&env, args, Duration::from_secs(20));
        assert_one_sentence(&out, &format!("{args:?}"), "not a regular file");
    }
}

#[test]
fn a_huge_model_setting_is_not_echoed_whole() {
    let env = Env::with_smol();
    for end in ["", ".gguf"] {
        let spec = format!("{}{end}", "m".repeat(8 << 20));
        env.write("config.toml", format!("model = \"{spec}\"\n"));
        let out = run_bounded(
            &env,
            &["ask", "--no-context", "hi"],
            Duration::from_secs(30),
        );
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{}", &err[..err.len().min(300)]);
        assert!(err.len() < 2000, "{} bytes of stderr", err.len());
        assert!(err.contains("mmm…"), "{err}");
    }
}

#[test]
fn an_empty_prompt_is_an_error_not_an_assert() {
    use pai::engine::local::{
        default_threads, EngineSettings, LoadOptions, LocalEngine, LocalModel,
    };
    use pai::engine::{GenerateParams, Sampling};
    let options = LoadOptions {
        gpu_layers: None,
        vocab_only: false,
        verbose: false,
    };
    let model = LocalModel::load(&smollm2(), &options).unwrap();
    let settings = EngineSettings {
        window: 256,
        threads: default_threads(),
        keep_context: false,
    };
    let mut engine = LocalEngine::new(&model, "smol", settings);
    let params = GenerateParams {
        tools: Default::default(),
        sampling: Sampling::greedy(),
        max_tokens: 4,
        stop: Vec::new(),
        stop_at_end_of_text: true,
        grammar: None,
        adapters: Vec::new(),
        speculation: None,
        cache_prefix: None,
    };
    let cancel = pai::cancel::CancelToken::new();
    let err = engine
        .generate_tokens(&[], &params, &cancel, &mut pai::engine::Discard)
        .unwrap_err();
    assert!(err.to_string().contains("no tokens"), "{err}");
}

/// The same files as the sentence encoder of a semantic source (`embed_model`): `pai index add
/// --semantic` refuses each with one sentence (a configuration error, exit 3), and adds nothing.
#[test]
fn every_hostile_model_is_refused_as_an_encoder() {
    let env = Env::new();
    let notes = env.path("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("a.md"),
        "# Backups\n\nThe backup runs at night.\n",
    )
    .unwrap();
    let mut seen = std::collections::HashSet::<&str>::new();
    for (i, c) in all_cases().into_iter().enumerate() {
        let Expect::Refused(text) = c.expect else {
            continue;
        };
        if c.adapter {
            continue;
        }
        seen.insert(c.category);
        let path = env.path(&format!("encoder{i}.gguf"));
        c.file.write(&path);
        env.write(
            "config.toml",
            format!("[index]\nembed_model = {:?}\n", path.display().to_string()),
        );
        let args = ["index", "add", "--semantic", notes.to_str().unwrap()];
        let out = run_bounded(&env, &args, Duration::from_secs(20));
        let err = stderr_of(&out);
        let what = format!("case {i} ({})", c.category);
        assert_eq!(out.status.code(), Some(3), "{what}: {err}");
        // After the note that says what is being added: one sentence, then hints.
        let mut lines = err.lines().skip_while(|l| l.starts_with("pai: adding "));
        let first = lines.next().unwrap_or_default();
        assert!(
            first.starts_with("pai: ") && first.contains(text),
            "{what}: {err}"
        );
        assert!(lines.all(|l| l.starts_with("  hint: ")), "{what}: {err}");
        std::fs::remove_file(&path).unwrap();
    }
    assert!(seen.len() >= 10, "{seen:?}");
    let status = env.pai(&["index", "status", "--json"]).output().unwrap();
    assert!(
        !stdout_of(&status).contains("notes"),
        "{}",
        stdout_of(&status)
    );
}
