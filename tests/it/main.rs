//! Integration tests: the real `pai` binary on the real models, in isolated PAI_HOMEs.
//! The models come from `scripts/fetch-models.sh` (PAI_MODEL_CACHE, default ~/.cache/pai-models).
mod ask;
mod audit;
mod chat;
mod context;
mod editor;
mod errors;
mod generated;
mod git;
mod history;
mod index;
mod model;
mod pull;
mod redact;
mod remote;
mod retrieval;
mod robust;
mod router;
mod routing_eval;
mod sandbox;
mod search;
mod semantic;
mod serve;
mod shell;
mod untrusted;
mod util;
mod watch;
