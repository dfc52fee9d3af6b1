//! A wedged node must not linger: a task on the runtime bumps a heartbeat
//! every second, and a plain OS thread (which no runtime problem can stop)
//! checks it. When the runtime has not ticked for `watchdog_secs` — every
//! worker stuck, as a lock taken in two orders once did — the thread logs
//! and aborts the process so its supervisor restarts it; liveness probes
//! would fail anyway, this just does not wait for them.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Ends the watch when the heartbeat task goes away (a clean stop, or a
/// runtime dropped without one, as tests do).
struct Gone(Arc<AtomicBool>);

impl Drop for Gone {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Starts the heartbeat on `tasks` and the watching thread; `limit` zero
/// disables both.
pub fn start(tasks: &mut JoinSet<()>, limit: Duration, stop: CancellationToken) {
    if limit.is_zero() {
        return;
    }
    let origin = Instant::now();
    let beat = Arc::new(AtomicU64::new(0));
    let gone = Arc::new(AtomicBool::new(false));
    let (task_beat, guard) = (beat.clone(), Gone(gone.clone()));
    tasks.spawn(async move {
        let _guard = guard;
        let mut every = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = every.tick() => task_beat.store(origin.elapsed().as_millis() as u64, Ordering::Relaxed),
            }
        }
    });
    let spawned = std::thread::Builder::new().name("signoff-watchdog".into()).spawn(move || {
        while !gone.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_secs(1));
            let silent = origin.elapsed().saturating_sub(Duration::from_millis(beat.load(Ordering::Relaxed)));
            if silent > limit && !gone.load(Ordering::Relaxed) {
                tracing::error!(silent_secs = silent.as_secs(), "the runtime is wedged; aborting so the node restarts");
                eprintln!("signoff: the runtime has not run for {} s; aborting", silent.as_secs());
                std::process::abort();
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no watchdog thread");
    }
}
