//! How many threads llama.cpp gets when the user sets none.
/// Threads for llama.cpp when the user sets none: the cores that are idle now.
///
/// llama.cpp's workers wait for each other at every step of every layer, spinning. When
/// another process holds a core, a worker that shares it waits for its partner's time slice:
/// on two cores with a build running, two threads made a 1 s answer take 13 s. So the count
/// is the available cores less the other runnable threads at this moment (the kernel's
/// `procs_running`, the least of three looks 0.2 ms apart, so that a passing blip does not
/// halve an idle machine's speed); never less than one. The OpenMP wait policy would be the
/// other lever, but libgomp reads it before `main`, and passive waiting made an idle
/// two-thread answer 45% slower (1.48 s to 2.15 s, SmolLM2, 520-token prompt).
pub fn default_threads() -> u32 {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get() as u32)
        .unwrap_or(4);
    let Some(others) = others_running() else {
        return cores;
    };
    cores.saturating_sub(others).clamp(1, cores)
}

/// Runnable threads other than this one, from /proc/stat (Linux); None elsewhere.
fn others_running() -> Option<u32> {
    let mut least = u32::MAX;
    for look in 0..3 {
        if look > 0 {
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let running: u32 = stat
            .lines()
            .find_map(|l| l.strip_prefix("procs_running "))?
            .trim()
            .parse()
            .ok()?;
        least = least.min(running.saturating_sub(1));
    }
    Some(least)
}
