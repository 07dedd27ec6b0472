//! Training yields to everything else: the lowest CPU priority (nice 19) and the idle I/O
//! class, set on the calling thread before llama.cpp starts its workers, which inherit both.

/// Lowers this thread's (and its future threads') CPU and I/O priority; failures are
/// harmless (training only runs slower for others) and ignored.
pub fn lowest() {
    #[cfg(unix)]
    // SAFETY: setpriority takes plain integers; `who` 0 is the calling thread on Linux.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
    #[cfg(target_os = "linux")]
    {
        const IOPRIO_WHO_PROCESS: libc::c_long = 1;
        const IOPRIO_CLASS_IDLE: libc::c_long = 3;
        const IOPRIO_CLASS_SHIFT: libc::c_long = 13;
        // SAFETY: ioprio_set takes three integers; `who` 0 is the calling thread.
        unsafe {
            libc::syscall(
                libc::SYS_ioprio_set,
                IOPRIO_WHO_PROCESS,
                0 as libc::c_long,
                IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT,
            );
        }
    }
}
