//! What llama.cpp was built to use on this CPU: the features its CPU backend was compiled
//! with, and in the portable build, which of the shipped CPU variants it loaded.
//!
//! The portable build (`--features portable`, `scripts/release.sh`) links llama.cpp as shared
//! libraries and ships one CPU backend per micro-architecture level (llama.cpp's
//! `GGML_CPU_ALL_VARIANTS`); [`load_backends`] loads the best one for this CPU from the folder
//! beside the executable. The source build has its CPU backend linked in and loads nothing.
use std::ffi::CStr;

/// The CPU features llama.cpp's CPU backend was compiled with ("AVX2", "AVX512", …), as
/// `llama_print_system_info` lists them. Call after the backend is started.
pub fn build_features() -> Vec<String> {
    // SAFETY: returns a pointer to a static string llama.cpp owns; it is copied at once.
    let info = unsafe { CStr::from_ptr(llama_cpp_sys_2::llama_print_system_info()) };
    parse_features(&info.to_string_lossy())
}

/// "CPU : SSE3 = 1 | AVX2 = 1 | REPACK = 1 | …" → the names whose value is not 0.
fn parse_features(info: &str) -> Vec<String> {
    let mut features = Vec::new();
    for part in info.split('|') {
        let part = part.rsplit(" : ").next().unwrap_or(part);
        if let Some((name, value)) = part.split_once('=') {
            let (name, value) = (name.trim(), value.trim());
            if !name.is_empty() && value != "0" && !features.iter().any(|f| f == name) {
                features.push(name.to_string());
            }
        }
    }
    features
}

/// Which of the portable build's CPU backends this process loaded ("icelake", "haswell", …),
/// read from the libraries mapped into it; None in a source build, where it is linked in.
pub fn loaded_variant() -> Option<String> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines().find_map(variant_in_map_line)
}

fn variant_in_map_line(line: &str) -> Option<String> {
    let file = line.rsplit('/').next()?;
    let rest = file.strip_prefix("libggml-cpu-")?;
    let name = rest.split(".so").next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// The folder the portable build's CPU backends are in: `lib/` beside the executable's `bin/`
/// (the release archive, the wheel), else the executable's own folder (`target/…/`, where the
/// build puts them). The first that holds a `libggml-cpu-*` library.
#[cfg(feature = "portable")]
fn library_folder() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?.canonicalize().ok()?;
    let bin = exe.parent()?;
    let candidates = [bin.parent().map(|p| p.join("lib")), Some(bin.to_path_buf())];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| holds_backends(dir))
}

#[cfg(feature = "portable")]
fn holds_backends(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("libggml-cpu-"))
    })
}

/// Loads the best CPU backend for this CPU from the shipped libraries (portable build only).
/// The folder is named explicitly: llama.cpp's default search begins with the folder the
/// libraries were built in, which on the build machine would shadow the archive's own.
#[cfg(feature = "portable")]
pub fn load_backends() {
    if let Some(folder) = library_folder() {
        llama_cpp_2::llama_backend::load_backends_from_path(&folder);
    }
}

#[cfg(not(feature = "portable"))]
pub fn load_backends() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_with_a_value_are_listed_once() {
        let info = "CPU : SSE3 = 1 | AVX = 1 | AVX512 = 1 | AMX_INT8 = 0 | REPACK = 1 | \
                    CPU : SSE3 = 1 | ";
        assert_eq!(
            parse_features(info),
            ["SSE3", "AVX", "AVX512", "REPACK"].map(String::from)
        );
    }

    #[test]
    fn the_variant_is_read_from_the_library_name() {
        let line = "7f12-7f34 r-xp 00000000 08:01 123 /opt/pai/lib/libggml-cpu-icelake.so";
        assert_eq!(variant_in_map_line(line).as_deref(), Some("icelake"));
        assert_eq!(
            variant_in_map_line("7f12-7f34 r-xp /usr/lib/libc.so.6"),
            None
        );
    }
}
