//! Confining a command with Linux Landlock: it may read and execute everything, write only
//! beneath the folders a [`Policy`] names (plus the device files every program needs), and
//! open no TCP connection and bind no TCP port unless the policy allows the network. Used by
//! `pai sandbox` and `pai shell`, and meant for tools and agents that run commands.
//!
//! The rules are applied in the child, between `fork` and `exec` (a `pre_exec` hook), not to
//! pai itself: Landlock restricts only the calling thread, and pai may already run llama.cpp's
//! threads, whose process must go on writing its own files (the store, the index) after the
//! command ends. Everything that can fail or allocate (probing the kernel, opening the folders,
//! building the ruleset) happens in the parent, before the fork, so errors are typed and
//! reported before anything runs; the hook itself is two system calls on a file descriptor it
//! already holds (`PR_SET_NO_NEW_PRIVS`, then `landlock_restrict_self`), which is what may
//! safely run in a forked child of a threaded process.
//!
//! Every right is asked for with Landlock's hard-requirement level: a kernel that cannot enforce
//! all of it is an error ([`SandboxError::TooOld`]), never a silently weaker sandbox. The rights
//! are pinned to one Landlock ABI ([`TARGET_ABI`]) so that the same rules apply on every kernel
//! that runs them; the one addition a newer kernel brings is scoping (ABI 6: no signals to
//! processes outside the sandbox, no abstract Unix sockets created outside it), applied where
//! the kernel has it.
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a confined command may do beyond reading and executing anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// Folders (or files) beneath which writing, creating, removing and renaming are allowed.
    pub allow_write: Vec<PathBuf>,
    /// Allow TCP connections and listening. Without it both are refused, to any address.
    pub net: bool,
}

impl Policy {
    /// The working folder and `temp` (the command's own temp folder, see [`private_temp`])
    /// writable, no network.
    pub fn working_folder(temp: &Path) -> Result<Policy, SandboxError> {
        let cwd = std::env::current_dir().map_err(|source| SandboxError::Path {
            path: PathBuf::from("."),
            source,
        })?;
        Ok(Policy {
            allow_write: vec![cwd, temp.to_path_buf()],
            net: false,
        })
    }
}

/// A temp folder of the command's own (0700, inside `$TMPDIR` or `/tmp`, removed when the
/// value is dropped), to give it as its `TMPDIR`. Not the shared temp folder itself: other
/// programs keep files there (sockets, caches, other users' work) that a confined command must
/// not be able to change.
pub fn private_temp() -> Result<tempfile::TempDir, SandboxError> {
    tempfile::Builder::new()
        .prefix("pai-sandbox-")
        .tempdir()
        .map_err(|source| SandboxError::Path {
            path: std::env::temp_dir(),
            source,
        })
}

/// Device files a confined command may write, when they exist: the bit buckets, the terminal
/// (`/dev/tty`, the pseudo-terminals under `/dev/pts` and `/dev/ptmx` to open new ones) and
/// POSIX shared memory and semaphores (`/dev/shm`, a temp folder by another name).
pub const DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/tty",
    "/dev/ptmx",
    "/dev/pts",
    "/dev/shm",
];

/// The Landlock ABI whose rights are handled: 4 (Linux 6.7) is the first with TCP rules.
/// Its file-system rights are ABI 3's: write, create, remove, rename across folders, truncate.
pub const TARGET_ABI: i32 = 4;

/// The first Landlock ABI whose file-system rights cover truncation (Linux 6.2): what a
/// sandbox with the network allowed needs.
pub const FS_ABI: i32 = 3;

/// The Landlock ABI that adds scoping of signals and abstract Unix sockets (Linux 6.12).
pub const SCOPE_ABI: i32 = 6;

/// What the running kernel offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Not built into this kernel (or not Linux at all).
    Missing,
    /// Built in but not enabled at boot (`lsm=` lacks `landlock`).
    Disabled,
    /// Available, with this ABI version.
    Abi(i32),
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("{}", unavailable(*.0))]
    Unavailable(Support),
    #[error("this kernel's Landlock (ABI {abi}) cannot restrict {what}, which needs ABI {needed} ({})", linux_for(*needed))]
    TooOld {
        abi: i32,
        needed: i32,
        what: &'static str,
    },
    #[error("cannot open {} to allow writing beneath it: {source}", path.display())]
    Path {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the Landlock rules could not be built: {0}")]
    Rules(String),
}

fn unavailable(support: Support) -> &'static str {
    match support {
        Support::Disabled => "Landlock is built into this kernel but not enabled",
        _ if cfg!(target_os = "linux") => "this kernel has no Landlock",
        _ => "the sandbox needs Linux Landlock, and this is not Linux",
    }
}

fn linux_for(abi: i32) -> &'static str {
    match abi {
        ..=3 => "Linux 6.2",
        4 | 5 => "Linux 6.7",
        _ => "Linux 6.12",
    }
}

/// What the kernel will be asked to enforce for a policy, or why it cannot be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Enforced {
    pub tcp: bool,
    pub scoped: bool,
}

/// Decides, from the kernel's support alone, whether `policy` can be fully enforced.
pub fn plan(support: Support, policy: &Policy) -> Result<Enforced, SandboxError> {
    let abi = match support {
        Support::Abi(abi) => abi,
        other => return Err(SandboxError::Unavailable(other)),
    };
    if abi < FS_ABI {
        return Err(SandboxError::TooOld {
            abi,
            needed: FS_ABI,
            what: "truncating files",
        });
    }
    if !policy.net && abi < TARGET_ABI {
        return Err(SandboxError::TooOld {
            abi,
            needed: TARGET_ABI,
            what: "TCP connections",
        });
    }
    Ok(Enforced {
        tcp: !policy.net,
        scoped: abi >= SCOPE_ABI,
    })
}

/// Arranges for `cmd` to run confined by `policy`. Fails, before anything runs, when the
/// kernel cannot enforce the whole policy or a folder cannot be opened.
pub fn confine_command(cmd: &mut Command, policy: &Policy) -> Result<Enforced, SandboxError> {
    let enforced = plan(support(), policy)?;
    imp::confine(cmd, policy, enforced)?;
    Ok(enforced)
}

/// The kernel's Landlock support. Only for deciding and reporting; the rules themselves are
/// pinned to [`TARGET_ABI`].
pub fn support() -> Support {
    imp::support()
}

/// The paths made writable for `policy`: its own, then the device files that exist.
pub fn writable_paths(policy: &Policy) -> Vec<PathBuf> {
    let mut paths = policy.allow_write.clone();
    paths.extend(
        DEVICES
            .iter()
            .map(Path::new)
            .filter(|p| p.exists())
            .map(Path::to_path_buf),
    );
    paths
}

#[cfg(target_os = "linux")]
mod imp {
    use std::os::fd::{AsRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;
    use std::process::Command;

    use landlock::{
        Access, AccessFs, AccessNet, CompatLevel, Compatible, PathBeneath, PathFd, PathFdError,
        Ruleset, RulesetAttr, RulesetCreatedAttr, Scope, ABI,
    };

    use super::{writable_paths, Enforced, Policy, SandboxError, Support};

    const TARGET: ABI = ABI::V4;
    const SCOPES: ABI = ABI::V6;
    const _: () = assert!(TARGET as i32 == super::TARGET_ABI && SCOPES as i32 == super::SCOPE_ABI);

    pub fn support() -> Support {
        const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
        // SAFETY: with a null attribute and size 0 this call only reports the ABI version.
        let v = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                std::ptr::null::<libc::c_void>(),
                0usize,
                LANDLOCK_CREATE_RULESET_VERSION,
            )
        };
        if v > 0 {
            return Support::Abi(v as i32);
        }
        match std::io::Error::last_os_error().raw_os_error() {
            Some(libc::EOPNOTSUPP) => Support::Disabled,
            _ => Support::Missing,
        }
    }

    fn rules_error(e: impl std::fmt::Display) -> SandboxError {
        SandboxError::Rules(e.to_string())
    }

    /// Builds the ruleset in this process and hands its descriptor to a `pre_exec` hook.
    pub fn confine(
        cmd: &mut Command,
        policy: &Policy,
        enforced: Enforced,
    ) -> Result<(), SandboxError> {
        let mut ruleset = Ruleset::default()
            .set_compatibility(CompatLevel::HardRequirement)
            .handle_access(AccessFs::from_all(TARGET))
            .map_err(rules_error)?;
        if enforced.tcp {
            ruleset = ruleset
                .handle_access(AccessNet::from_all(TARGET))
                .map_err(rules_error)?;
        }
        if enforced.scoped {
            ruleset = ruleset
                .scope(Scope::from_all(SCOPES))
                .map_err(rules_error)?;
        }
        let root = PathFd::new("/").map_err(rules_error)?;
        let mut created = ruleset
            .create()
            .map_err(rules_error)?
            .add_rule(PathBeneath::new(root, AccessFs::from_read(TARGET)))
            .map_err(rules_error)?;
        for path in writable_paths(policy) {
            let fd = PathFd::new(&path).map_err(|e| match e {
                PathFdError::OpenCall { source, .. } => SandboxError::Path {
                    path: path.clone(),
                    source,
                },
                other => rules_error(other),
            })?;
            // Folder rights (create, remove, list) apply only to folders.
            let access = if path.is_dir() {
                AccessFs::from_all(TARGET)
            } else {
                AccessFs::from_file(TARGET)
            };
            created = created
                .add_rule(PathBeneath::new(fd, access))
                .map_err(rules_error)?;
        }
        let fd: OwnedFd = Option::<OwnedFd>::from(created)
            .ok_or_else(|| rules_error("the kernel gave no ruleset"))?;
        // SAFETY: the hook makes two system calls on a descriptor it owns; it neither allocates
        // nor takes locks, so it is safe between fork and exec. The descriptor is close-on-exec.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if libc::syscall(libc::SYS_landlock_restrict_self, fd.as_raw_fd(), 0u32) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::process::Command;

    use super::{Enforced, Policy, SandboxError, Support};

    pub fn support() -> Support {
        Support::Missing
    }

    pub fn confine(_: &mut Command, _: &Policy, _: Enforced) -> Result<(), SandboxError> {
        Err(SandboxError::Unavailable(Support::Missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_net() -> Policy {
        Policy::default()
    }

    fn net() -> Policy {
        Policy {
            net: true,
            ..Policy::default()
        }
    }

    #[test]
    fn without_landlock_nothing_is_enforced() {
        for support in [Support::Missing, Support::Disabled] {
            assert!(matches!(
                plan(support, &net()),
                Err(SandboxError::Unavailable(_))
            ));
        }
        let e = plan(Support::Disabled, &no_net()).unwrap_err();
        assert!(e.to_string().contains("not enabled"), "{e}");
    }

    #[test]
    fn a_kernel_without_tcp_rules_refuses_unless_the_network_is_allowed() {
        let e = plan(Support::Abi(3), &no_net()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "this kernel's Landlock (ABI 3) cannot restrict TCP connections, which needs ABI 4 (Linux 6.7)"
        );
        assert_eq!(
            plan(Support::Abi(3), &net()).unwrap(),
            Enforced {
                tcp: false,
                scoped: false
            }
        );
        assert!(matches!(
            plan(Support::Abi(2), &net()),
            Err(SandboxError::TooOld { needed: 3, .. })
        ));
    }

    #[test]
    fn newer_kernels_add_scoping() {
        assert_eq!(
            plan(Support::Abi(4), &no_net()).unwrap(),
            Enforced {
                tcp: true,
                scoped: false
            }
        );
        assert_eq!(
            plan(Support::Abi(7), &no_net()).unwrap(),
            Enforced {
                tcp: true,
                scoped: true
            }
        );
    }

    #[test]
    fn the_working_folder_policy_allows_its_own_temp_folder_and_no_network() {
        let temp = private_temp().unwrap();
        let policy = Policy::working_folder(temp.path()).unwrap();
        assert!(!policy.net);
        assert!(policy.allow_write.contains(&temp.path().to_path_buf()));
        assert!(!policy.allow_write.contains(&std::env::temp_dir()));
        assert!(writable_paths(&policy)
            .iter()
            .any(|p| p == Path::new("/dev/null")));
    }
}
