//! `bridgemark-bench`: the direct-Rust baseline, no bridge at all.
//!
//! Usage: `bridgemark-bench SUITE --params JSON CASE...` — the protocol of the Python
//! workers (`harness/bridgemark/worker.py`): same suites, same cases, same parameters,
//! and the same JSON object on stdout, with `"implementation": "direct_rust"`:
//!
//! - `extraction`: CASE = file path; `extract_file` per file.
//! - `calls`: CASE = `loop` | `noop` | `add` | `echo:N` | `echo:N:ALPHABET` (`latin1` é, `cjk` 中,
//!   `emoji` 😀) | `make_result:C:T` | `spin:N` (the probes) | `memcpy:N:D` (direct Rust only:
//!   glibc `memcpy` of N bytes to a destination D bytes past a 4 KiB multiple of the source) |
//!   `noop:floor` (Python implementations only, `{"case", "skipped"}` here: the bare call paired
//!   with the C-API floor's in the worker).
//! - timing records: `{"case", "loops", "warmup_ns_per_iter": [..], "samples_ns_per_iter": [..],
//!   "minor_faults_per_iter", "samples_kept", "samples_retaken", "samples_off_cpu"}`: loops doubled
//!   until one sample lasts `min_sample_ns`, then `warmups` + `samples` samples, each under the
//!   on-CPU rule (`min_on_cpu`, `max_retakes`: [`Sampler`]); minor page faults counted over those
//!   samples, per call.
//! - `memory`: CASE = `extract_file:PATH` | `leak:N`; RSS (VmRSS of /proc/self/status) after
//!   each of `points` chunks after a warm-up: `{"case", "warmup_iterations", "iterations", "rss_bytes"}`.
//! - `stress`: CASEs = file paths; round-robin for `duration_ms`, per `window_ms` window the
//!   calls and RSS.
//! - `inflate` (direct Rust only): CASE = DOCX path; timing records `extract:PATH` (the core on
//!   the bytes in memory) and `inflate:PATH` (only inflating the parts the core reads), their
//!   samples taken alternately (ABBA) and paired by index.
//!
//! Every call's result goes through `black_box`, so nothing is optimised away; the
//! probes are called through `black_box`ed function pointers where they have no result.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use bridgemark_core::timing::{Probe, time_loop};
use bridgemark_core::{Config, ErrorKind, docx, extract_bytes, extract_file, probe};
use serde::Deserialize;
use serde_json::{Value, json};

const MAX_LOOPS: u64 = 1 << 30;

/// Suite parameters, as the harness passes them (`--params`); absent keys are 0.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct Params {
    min_sample_ns: u64,
    warmups: usize,
    samples: usize,
    /// A first call at least this long takes `long_call_samples` samples (0: no such rule), as
    /// `bridgemark.worker.long_call` does in the Python workers.
    long_call_ns: u64,
    long_call_samples: usize,
    warmup_ms: u64,
    duration_ms: u64,
    points: u64,
    max_iterations: u64,
    window_ms: u64,
    /// The on-CPU rule (`bridgemark.worker.SAMPLING`): a sample during which this process was on
    /// a CPU for less than this share of its wall time is taken again (0: no rule) …
    min_on_cpu: f64,
    /// … at most this many times, the last attempt then kept and counted off CPU.
    max_retakes: u32,
}

/// Takes timed samples under the on-CPU rule of [`Params`] and counts them, as
/// `bridgemark.worker.Sampler` does in the Python workers.
struct Sampler {
    min_on_cpu: f64,
    max_retakes: u32,
    kept: u64,
    retaken: u64,
    off_cpu: u64,
}

impl Sampler {
    fn new(p: &Params) -> Sampler {
        Sampler {
            min_on_cpu: p.min_on_cpu,
            max_retakes: p.max_retakes,
            kept: 0,
            retaken: 0,
            off_cpu: 0,
        }
    }

    /// `sample()`'s value from the first attempt during which this process was on a CPU for at
    /// least `min_on_cpu` of the wall time; after `max_retakes` retakes the last is kept.
    fn take<T>(&mut self, mut sample: impl FnMut() -> T) -> T {
        let mut attempt = 0;
        loop {
            let (cpu, wall) = (process_cpu_ns(), Instant::now());
            let value = sample();
            let (cpu, wall) = (
                process_cpu_ns().saturating_sub(cpu),
                wall.elapsed().as_nanos(),
            );
            if cpu as f64 >= self.min_on_cpu * wall as f64 {
                break self.keep(value);
            }
            if attempt == self.max_retakes {
                self.off_cpu += 1;
                break self.keep(value);
            }
            self.retaken += 1;
            attempt += 1;
        }
    }

    fn keep<T>(&mut self, value: T) -> T {
        self.kept += 1;
        value
    }

    /// The record's counts: `samples_kept`, `samples_retaken`, `samples_off_cpu`.
    fn fields(&self) -> Value {
        json!({"samples_kept": self.kept, "samples_retaken": self.retaken, "samples_off_cpu": self.off_cpu})
    }
}

/// CPU time of this process in ns (`clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`, as Python's
/// `time.process_time_ns`).
fn process_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own; the clock id is always valid on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Loops per sample: doubled from 1 until one sample of `f` lasts `p.min_sample_ns`.
fn calibrate<F: FnMut()>(f: &mut F, p: &Params) -> u64 {
    calibrate_with(&mut |loops| time_loop(f, loops), p)
}

/// Loops per sample for `run` (`loops` → elapsed ns): doubled from 1 until one sample lasts
/// `p.min_sample_ns`.
fn calibrate_with<G: FnMut(u64) -> u64>(run: &mut G, p: &Params) -> u64 {
    let mut loops = 1;
    while loops < MAX_LOOPS && run(loops) < p.min_sample_ns {
        loops *= 2;
    }
    loops
}

/// The raw timing record of one case from its per-iteration samples (warm-ups first), the page
/// faults over all its sampler's attempts (retakes included) and its sampler's counts.
fn record(
    case: &str,
    p: &Params,
    loops: u64,
    per_iter: &[f64],
    faults: u64,
    sampler: &Sampler,
) -> Value {
    let attempts = sampler.kept + sampler.retaken;
    merge(
        json!({"case": case, "loops": loops,
               "warmup_ns_per_iter": per_iter[..p.warmups], "samples_ns_per_iter": per_iter[p.warmups..],
               "minor_faults_per_iter": faults as f64 / (loops as f64 * attempts.max(1) as f64)}),
        sampler.fields(),
    )
}

/// The timing record of one case (pyperf's method: calibrate, warm up, sample).
fn timing<F: FnMut()>(case: &str, p: &Params, mut f: F) -> Value {
    timing_with(case, p, |loops| time_loop(&mut f, loops))
}

/// [`timing`] for a case that times its own loop (`loops` → elapsed ns).
fn timing_with<G: FnMut(u64) -> u64>(case: &str, p: &Params, mut run: G) -> Value {
    let loops = calibrate_with(&mut run, p);
    let mut sampler = Sampler::new(p);
    let faults_before = minor_faults();
    let per_iter: Vec<f64> = (0..p.warmups + p.samples)
        .map(|_| sampler.take(|| run(loops)) as f64 / loops as f64)
        .collect();
    let faults = minor_faults().saturating_sub(faults_before);
    record(case, p, loops, &per_iter, faults, &sampler)
}

/// The timing records of two cases sampled alternately (ABBA: pair `i` runs `a` first when
/// `i` is even), so sample `i` of both was taken in the same state of the machine; the
/// harness pairs them by index (`bridgemark.stats.paired_difference_ci`).
fn paired_timing<A: FnMut(), B: FnMut()>(
    (case_a, mut a): (&str, A),
    (case_b, mut b): (&str, B),
    p: &Params,
) -> [Value; 2] {
    let (loops_a, loops_b) = (calibrate(&mut a, p), calibrate(&mut b, p));
    let (mut per_a, mut per_b, mut faults) = (Vec::new(), Vec::new(), [0u64; 2]);
    let mut samplers = [Sampler::new(p), Sampler::new(p)];
    for i in 0..p.warmups + p.samples {
        for first in [i % 2 == 0, i % 2 != 0] {
            let k = usize::from(!first);
            let before = minor_faults();
            if first {
                per_a.push(samplers[k].take(|| time_loop(&mut a, loops_a)) as f64 / loops_a as f64);
            } else {
                per_b.push(samplers[k].take(|| time_loop(&mut b, loops_b)) as f64 / loops_b as f64);
            }
            faults[k] += minor_faults().saturating_sub(before);
        }
    }
    [
        record(case_a, p, loops_a, &per_a, faults[0], &samplers[0]),
        record(case_b, p, loops_b, &per_b, faults[1], &samplers[1]),
    ]
}

/// Minor page faults of this process so far (`getrusage(RUSAGE_SELF).ru_minflt`, as Python's
/// `resource.getrusage`): a fresh page touched for the first time, e.g. after malloc got it from the kernel.
fn minor_faults() -> u64 {
    // SAFETY: getrusage writes into the zeroed struct we own; RUSAGE_SELF is always valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_minflt as u64
}

fn error_record(case: &str, err: impl std::fmt::Display) -> Value {
    json!({"case": case, "error": err.to_string()})
}

/// The Python exception class a bridge raises for `kind` (`bridgemark/errors.py`), so an
/// error reads the same in every implementation's records.
fn python_error_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::NotFound => "FileNotFoundError",
        ErrorKind::IsADirectory => "IsADirectoryError",
        ErrorKind::PermissionDenied => "PermissionError",
        ErrorKind::Io => "OSError",
        ErrorKind::UnsupportedFormat => "UnsupportedFormatError",
        ErrorKind::Corrupt => "CorruptDocumentError",
        ErrorKind::PasswordRequired => "PasswordRequiredError",
        ErrorKind::LimitExceeded => "LimitExceededError",
        ErrorKind::InvalidArgument => "ValueError",
        ErrorKind::Internal => "InternalError",
    }
}

/// One extraction, result kept alive through `black_box`; the error as `PythonClass: message`.
fn extract(path: &Path) -> Result<(), String> {
    match extract_file(black_box(path), &Config::DEFAULT) {
        Ok(r) => {
            black_box(r);
            Ok(())
        }
        Err(e) => Err(format!("{}: {}", python_error_name(e.kind), e.message)),
    }
}

fn extraction(p: &Params, cases: &[String]) -> Vec<Value> {
    cases
        .iter()
        .map(|case| {
            let first = Instant::now();
            match extract(Path::new(case)) {
                Err(e) => error_record(case, e),
                Ok(()) => timing(case, &p.for_first_call(first.elapsed().as_nanos()), || {
                    let _ = extract(Path::new(case));
                }),
            }
        })
        .collect()
}

impl Params {
    /// These parameters with `samples = long_call_samples` when a first call of
    /// `first_call_ns` is a long call (`long_call_ns` set and reached), else unchanged.
    fn for_first_call(&self, first_call_ns: u128) -> Params {
        let long = self.long_call_ns > 0 && first_call_ns >= u128::from(self.long_call_ns);
        Params {
            samples: if long {
                self.long_call_samples
            } else {
                self.samples
            },
            ..self.clone()
        }
    }
}

/// Suite `inflate` (direct Rust only): per DOCX, the core on the file's bytes in memory
/// (`extract:PATH`) and only the inflation of the parts it reads (`inflate:PATH`, same
/// inflater and checks, `docx::inflate_parts`), sampled alternately, so their per-pair
/// ratio is the cost above inflating in one state of the machine.
fn inflate(p: &Params, cases: &[String]) -> Vec<Value> {
    let config = Config::DEFAULT;
    let mut out = Vec::new();
    for path in cases {
        let (extract_case, inflate_case) = (format!("extract:{path}"), format!("inflate:{path}"));
        let prepared = std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|b| {
                docx::parts_read(&b, &config)
                    .map(|parts| (b, parts))
                    .map_err(|e| e.message)
            });
        match prepared {
            Err(e) => out.extend([
                error_record(&extract_case, &e),
                error_record(&inflate_case, &e),
            ]),
            Ok((bytes, parts)) => out.extend(paired_timing(
                (&extract_case, || {
                    black_box(extract_bytes(black_box(&bytes), None, &config).ok());
                }),
                (&inflate_case, || {
                    black_box(docx::inflate_parts(black_box(&bytes), &parts, &config).ok());
                }),
                p,
            )),
        }
    }
    out
}

fn calls(p: &Params, cases: &[String]) -> Result<Vec<Value>, String> {
    cases
        .iter()
        .map(|case| {
            // The probes (`bridgemark_core::timing::Probe`, as `bm_time_probe` runs them in a
            // bridge's worker). An echo payload is allocated once, when parsed, just before the
            // loop, and every call's copy right behind it: the relation of a `str` an interpreter
            // has just built and the String Rust copies it into (the harness's sizes keep that
            // distance away from the `memcpy:N:D` window; `harness/bridgemark/suites/calls.py`,
            // ECHO_BYTES).
            if let Some(probe) = Probe::parse(case) {
                return Ok(timing_with(case, p, |loops| probe.time(loops)));
            }
            let parts: Vec<&str> = case.split(':').collect();
            let num = |i: usize| {
                parts[i]
                    .parse::<usize>()
                    .map_err(|e| format!("{case}: {e}"))
            };
            Ok(match parts[..] {
                ["loop"] => timing(case, p, || black_box(())),
                // The bare call paired with the C-API floor's in a bridge's worker: no interpreter here.
                ["noop", "floor"] => {
                    json!({"case": case, "skipped": "Python implementations only"})
                }
                ["memcpy", _, _] => {
                    let (n, distance) = (num(1)?, num(2)? % 4096);
                    let mut buf = vec![1u8; 2 * n + 4 * 4096];
                    let base = buf.as_mut_ptr();
                    let src = base.wrapping_add(base.align_offset(4096));
                    let dst = src.wrapping_add(n.next_multiple_of(4096) + 4096 + distance);
                    // SAFETY: src..src+n and dst..dst+n lie inside `buf` (< 4 KiB of alignment, n rounded up
                    // to 4 KiB, one page of gap, distance < 4096, n: together < 2n + 4 · 4096) and are
                    // disjoint (dst ≥ src + n + 4096); `buf` outlives the loop.
                    let record = timing(case, p, || unsafe {
                        std::ptr::copy_nonoverlapping(black_box(src), black_box(dst), black_box(n))
                    });
                    drop(buf);
                    record
                }
                _ => return Err(format!("unknown calls case {case:?}")),
            })
        })
        .collect()
}

/// Resident set size in bytes (VmRSS of /proc/self/status; what psutil reports as `rss`).
fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

/// The memory suite's RSS series (same algorithm as `suites/memory.py::rss_series`).
fn rss_series<F: FnMut()>(case: &str, p: &Params, mut f: F) -> Value {
    let (warm_cap, mut loops, mut done, mut elapsed_ns) = (p.max_iterations / 4, 1, 0u64, 0u64);
    while elapsed_ns < p.warmup_ms * 1_000_000 && done < warm_cap {
        elapsed_ns += time_loop(&mut f, loops);
        done += loops;
        loops = (loops * 2).min(warm_cap);
    }
    let points = p.points.max(1);
    let by_time = (p.duration_ms as u128 * 1_000_000 * done as u128 / elapsed_ns.max(1) as u128)
        as u64
        / points;
    let chunk = by_time.min(p.max_iterations / points).max(1);
    let (mut iterations, mut rss) = (vec![0], vec![rss_bytes()]);
    for i in 1..=points {
        time_loop(&mut f, chunk);
        iterations.push(i * chunk);
        rss.push(rss_bytes());
    }
    json!({"case": case, "warmup_iterations": done, "iterations": iterations, "rss_bytes": rss})
}

fn memory(p: &Params, cases: &[String]) -> Result<Vec<Value>, String> {
    cases
        .iter()
        .map(|case| match case.split_once(':') {
            Some(("extract_file", path)) => Ok(match extract(Path::new(path)) {
                Err(e) => error_record(case, e),
                Ok(()) => rss_series(case, p, || {
                    let _ = extract(Path::new(path));
                }),
            }),
            Some(("leak", n)) => {
                let n: usize = n.parse().map_err(|e| format!("{case}: {e}"))?;
                Ok(rss_series(case, p, || probe::leak(black_box(n))))
            }
            _ => Err(format!("unknown memory case {case:?}")),
        })
        .collect()
}

fn stress(p: &Params, cases: &[String]) -> Vec<Value> {
    let (mut files, mut excluded) = (Vec::new(), BTreeMap::new());
    for case in cases {
        match extract(Path::new(case)) {
            Ok(()) => files.push(Path::new(case)),
            Err(e) => {
                excluded.insert(case.clone(), e);
            }
        }
    }
    let head = json!({"case": "corpus", "files": files.len(), "excluded": excluded});
    if files.is_empty() {
        return vec![merge(head, json!({"error": "no file extracts"}))];
    }
    let (window_ns, duration_ns) = (
        p.window_ms as u128 * 1_000_000,
        p.duration_ms as u128 * 1_000_000,
    );
    let (mut errors, mut first_error, mut count) = (0u64, None::<String>, 0u64);
    let (mut windows_ns, mut windows_n, mut windows_rss) = (vec![], vec![], vec![]);
    let rss_start = rss_bytes();
    let start = Instant::now();
    let mut window_start = start;
    for path in files.iter().cycle() {
        if let Err(e) = extract(path) {
            errors += 1;
            first_error.get_or_insert_with(|| format!("{}: {e}", path.display()));
        }
        count += 1;
        let (in_window, total) = (
            window_start.elapsed().as_nanos(),
            start.elapsed().as_nanos(),
        );
        if in_window >= window_ns || total >= duration_ns {
            windows_ns.push(in_window as u64);
            windows_n.push(count);
            windows_rss.push(rss_bytes());
            count = 0;
            window_start = Instant::now();
            if total >= duration_ns {
                break;
            }
        }
    }
    vec![merge(
        head,
        json!({"errors": errors, "first_error": first_error, "window_ns": windows_ns,
        "window_iterations": windows_n, "rss_start_bytes": rss_start, "window_rss_bytes": windows_rss}),
    )]
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

fn run(args: &[String]) -> Result<Value, String> {
    let usage = "usage: bridgemark-bench SUITE --params JSON CASE...";
    let [suite, flag, params, cases @ ..] = args else {
        return Err(usage.into());
    };
    if flag != "--params" {
        return Err(usage.into());
    }
    let p: Params = serde_json::from_str(params).map_err(|e| format!("--params: {e}"))?;
    let records = match suite.as_str() {
        "extraction" => extraction(&p, cases),
        "calls" => calls(&p, cases)?,
        "memory" => memory(&p, cases)?,
        "stress" => stress(&p, cases),
        "inflate" => inflate(&p, cases),
        other => return Err(format!("unknown suite {other:?}; {usage}")),
    };
    Ok(
        json!({"implementation": "direct_rust", "suite": suite, "pid": std::process::id(),
              "status": "ok", "records": records}),
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(v) => {
            println!("{v}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bridgemark-bench: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Params, Sampler};
    use std::time::Duration;

    #[test]
    fn a_sample_spent_off_cpu_is_retaken_up_to_max_retakes_then_kept_and_counted() {
        let p = Params {
            min_on_cpu: 0.95,
            max_retakes: 3,
            ..Params::default()
        };
        let (mut sampler, mut attempts) = (Sampler::new(&p), 0);
        let value = sampler.take(|| {
            attempts += 1;
            std::thread::sleep(Duration::from_millis(2)); // asleep: off CPU, whatever the load
            attempts
        });
        assert_eq!((value, attempts), (4, 4));
        assert_eq!((sampler.kept, sampler.retaken, sampler.off_cpu), (1, 3, 1));
    }

    #[test]
    fn without_the_on_cpu_rule_every_sample_is_kept_at_once() {
        let mut sampler = Sampler::new(&Params::default());
        for _ in 0..3 {
            sampler.take(|| std::thread::sleep(Duration::from_millis(1)));
        }
        assert_eq!((sampler.kept, sampler.retaken, sampler.off_cpu), (3, 0, 0));
    }

    #[test]
    fn a_long_first_call_takes_the_long_call_samples_and_a_short_one_all() {
        let p = Params {
            samples: 3,
            long_call_ns: 50_000_000,
            long_call_samples: 2,
            ..Params::default()
        };
        assert_eq!(p.for_first_call(50_000_000).samples, 2);
        assert_eq!(p.for_first_call(49_999_999).samples, 3);
        let unset = Params {
            samples: 3,
            ..Params::default()
        };
        assert_eq!(unset.for_first_call(u128::MAX).samples, 3); // no long_call_ns: no rule
    }
}
