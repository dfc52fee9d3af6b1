//! Latency recording and the summary: the JMeter line of the seed's load
//! tests (`summary = N in hh:mm:ss = X/s Avg: … Min: … Max: … Err: … (p%)`)
//! followed by percentiles.

use std::time::Duration;

use hdrhistogram::Histogram;

/// What one virtual user (or all of them, merged) measured.
pub struct Recorder {
    latencies: Histogram<u64>,
    pub errors: u64,
    pub first_error: Option<String>,
}

impl Default for Recorder {
    fn default() -> Self {
        Self {
            // Microseconds, 1 µs to 60 s, 3 significant figures.
            latencies: Histogram::new_with_bounds(1, 60_000_000, 3).expect("static histogram bounds are valid"),
            errors: 0,
            first_error: None,
        }
    }
}

impl Recorder {
    pub fn ok(&mut self, took: Duration) {
        let _ = self.latencies.record((took.as_micros() as u64).max(1));
    }

    pub fn error(&mut self, err: &anyhow::Error) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(format!("{err:#}"));
        }
    }

    pub fn merge(&mut self, other: Recorder) {
        let _ = self.latencies.add(&other.latencies);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    /// Prints the summary for `what` measured over `elapsed`.
    pub fn print(&self, what: &str, elapsed: Duration) {
        let ok = self.latencies.len();
        let total = ok + self.errors;
        let secs = elapsed.as_secs_f64();
        let ms = |v: u64| v as f64 / 1000.0;
        let hms = {
            let s = elapsed.as_secs();
            format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
        };
        let err_pct = if total == 0 { 0.0 } else { self.errors as f64 * 100.0 / total as f64 };
        println!("{what}");
        println!(
            "summary = {total} in {hms} = {:.1}/s Avg: {:.0} Min: {:.0} Max: {:.0} Err: {} ({err_pct:.2}%)",
            total as f64 / secs,
            ms(self.latencies.mean() as u64),
            ms(self.latencies.min()),
            ms(self.latencies.max()),
            self.errors,
        );
        println!(
            "latency ms: p50 {:.2} p95 {:.2} p99 {:.2} max {:.2} (mean {:.2})",
            ms(self.latencies.value_at_quantile(0.50)),
            ms(self.latencies.value_at_quantile(0.95)),
            ms(self.latencies.value_at_quantile(0.99)),
            ms(self.latencies.max()),
            self.latencies.mean() / 1000.0,
        );
        if let Some(err) = &self.first_error {
            println!("first error: {err}");
        }
    }
}
