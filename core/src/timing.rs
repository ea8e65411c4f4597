//! Timed loops of the core's own work, no bridge involved: the direct-Rust baseline.
//!
//! The bench binary (`bridgemark-bench`) runs them in a process of its own; the C ABI
//! exports [`time_extract_file`] (`bm_bench_extract_file`) so that the harness can time
//! the same work inside each bridge's worker process, alternating with that bridge's
//! samples (a paired design: the machine's state — frequency, neighbours' load on the
//! shared caches — is then the same for both numbers of a pair).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use crate::error::Result;
use crate::limits::Config;
use crate::probe;

/// Runs `f` `loops` times; returns the elapsed ns (monotonic clock: `CLOCK_MONOTONIC` on
/// Linux, as Python's `time.perf_counter_ns`).
#[inline(always)]
pub fn time_loop<F: FnMut()>(f: &mut F, loops: u64) -> u64 {
    let start = Instant::now();
    for _ in 0..loops {
        f();
    }
    start.elapsed().as_nanos() as u64
}

/// Extracts the file at `path` `loops` times (every result kept alive through
/// `black_box`, then dropped, as a bridge drops it after converting it) and returns
/// the elapsed ns of the whole loop.
///
/// Errors: the first failing extraction's error (the loop stops there).
pub fn time_extract_file(path: &Path, config: &Config, loops: u64) -> Result<u64> {
    let mut outcome = Ok(());
    let elapsed = time_loop(
        &mut || {
            if outcome.is_ok() {
                match crate::extract_file(black_box(path), config) {
                    Ok(r) => drop(black_box(r)),
                    Err(e) => outcome = Err(e),
                }
            }
        },
        loops,
    );
    outcome.map(|()| elapsed)
}

/// A probe call as the harness names its cases: `noop`, `add`, `echo:N` or
/// `echo:N:ALPHABET` (`latin1` é, `cjk` 中, `emoji` 😀; N = UTF-8 bytes), `make_result:C:T`,
/// `spin:N` (ns).
#[derive(Debug, PartialEq, Eq)]
pub enum Probe {
    Noop,
    Add,
    /// The payload, built once (see [`echo_payload`]).
    Echo(String),
    /// `n_chars`, `n_tables`.
    MakeResult(usize, usize),
    /// Nanoseconds to spin.
    Spin(u64),
}

impl Probe {
    /// The probe named by `case`; `None` for anything else (an unknown name, a bad number,
    /// an unknown alphabet).
    pub fn parse(case: &str) -> Option<Self> {
        let parts: Vec<&str> = case.split(':').collect();
        let num = |i: usize| parts.get(i)?.parse::<usize>().ok();
        Some(match parts[..] {
            ["noop"] => Self::Noop,
            ["add"] => Self::Add,
            ["echo", _] | ["echo", _, _] => {
                Self::Echo(echo_payload(num(1)?, parts.get(2).copied())?)
            }
            ["make_result", _, _] => Self::MakeResult(num(1)?, num(2)?),
            ["spin", _] => Self::Spin(num(1)? as u64),
            _ => return None,
        })
    }

    /// Runs the probe `loops` times (arguments and results through `black_box`, the bare
    /// call through a `black_box`ed function pointer) and returns the elapsed ns.
    pub fn time(&self, loops: u64) -> u64 {
        match self {
            Self::Noop => {
                let f = black_box(probe::noop as fn());
                time_loop(&mut || f(), loops)
            }
            Self::Add => time_loop(
                &mut || {
                    black_box(probe::add(black_box(1), black_box(2)));
                },
                loops,
            ),
            Self::Echo(s) => time_loop(
                &mut || {
                    black_box(probe::echo(black_box(s)));
                },
                loops,
            ),
            &Self::MakeResult(chars, tables) => time_loop(
                &mut || {
                    black_box(probe::make_result(black_box(chars), black_box(tables)));
                },
                loops,
            ),
            &Self::Spin(ns) => time_loop(&mut || probe::spin(black_box(ns)), loops),
        }
    }
}

/// The `echo` payload of about `n_bytes` UTF-8 bytes (as `costmodel.payload` in the
/// harness): one character repeated `n_bytes / its UTF-8 length` times (`None`: ASCII `x`);
/// `None` for an unknown alphabet.
pub fn echo_payload(n_bytes: usize, alphabet: Option<&str>) -> Option<String> {
    let c = match alphabet {
        None => 'x',
        Some("latin1") => 'é',
        Some("cjk") => '中',
        Some("emoji") => '😀',
        Some(_) => return None,
    };
    Some(c.to_string().repeat(n_bytes / c.len_utf8()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn time_extract_file_reports_the_first_error_not_a_time() {
        let err = time_extract_file(
            Path::new("/nonexistent/bridgemark.docx"),
            &Config::DEFAULT,
            3,
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
    }

    #[test]
    fn probe_cases_parse_as_the_harness_names_them() {
        assert_eq!(Probe::parse("noop"), Some(Probe::Noop));
        assert_eq!(
            Probe::parse("make_result:1000:1"),
            Some(Probe::MakeResult(1000, 1))
        );
        assert_eq!(Probe::parse("echo:7:cjk"), Some(Probe::Echo("中中".into())));
        assert_eq!(Probe::parse("spin:1000"), Some(Probe::Spin(1000)));
        for bad in [
            "loop",
            "echo:x",
            "echo:9:klingon",
            "make_result:1",
            "memcpy:1:2",
            "",
        ] {
            assert_eq!(Probe::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn time_loop_runs_the_closure_loops_times() {
        let mut calls = 0;
        time_loop(&mut || calls += 1, 5);
        assert_eq!(calls, 5);
    }
}
