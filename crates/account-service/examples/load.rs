//! Load on a running account service: sign-ins with a password and a TOTP code, from
//! many clients at once (`scripts/bench-service` starts the service and runs this).
//!
//!   load BASE_URL [--users N] [--clients C] [--seconds S]
//!
//! First it signs up N users and turns TOTP on for each (codes computed here with
//! totp-rs from the otpauth URI the service gave). Then, from the next 30-second step
//! on, C clients each sign in one unused user after another (password, then the
//! current TOTP code) for S seconds or until the users run out: each user signs in
//! once, since a service accepts a code once per user and step. It prints the latency
//! of whole sign-ins and of each request (p50, p99, max) and sign-ins per second.
//! Every sign-in must end with a token; any other answer stops the run with an error.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

const PASSWORD: &str = "load test password 1";

struct Args {
    base: String,
    users: usize,
    clients: usize,
    seconds: u64,
}

fn args() -> Result<Args> {
    let mut it = std::env::args().skip(1);
    let base = it
        .next()
        .context("usage: load BASE_URL [--users N] [--clients C] [--seconds S]")?;
    let mut a = Args {
        base: base.trim_end_matches('/').to_string(),
        users: 2500,
        clients: 64,
        seconds: 20,
    };
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--users" => a.users = value.parse()?,
            "--clients" => a.clients = value.parse()?,
            "--seconds" => a.seconds = value.parse()?,
            _ => bail!("unknown option {flag}"),
        }
    }
    Ok(a)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    body: Value,
) -> Result<Value> {
    let mut req = client.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await?;
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        bail!("POST {url}: {status} {body}");
    }
    Ok(body)
}

fn field<'a>(v: &'a Value, name: &str) -> Result<&'a str> {
    v[name]
        .as_str()
        .with_context(|| format!("no {name} in {v}"))
}

/// Signs `email` up and turns TOTP on; returns its generator.
async fn enrol(client: &reqwest::Client, base: &str, email: &str) -> Result<totp_rs::Totp> {
    post(
        client,
        &format!("{base}/api/v1/users"),
        None,
        json!({"email": email, "password": PASSWORD}),
    )
    .await?;
    let session = post(
        client,
        &format!("{base}/api/v1/sessions"),
        None,
        json!({"email": email, "password": PASSWORD}),
    )
    .await?;
    let token = field(&session, "token")?.to_string();
    let setup = post(
        client,
        &format!("{base}/api/v1/mfa/totp/setup"),
        Some(&token),
        json!({}),
    )
    .await?;
    let totp = totp_rs::Totp::from_url(field(&setup, "otpauth_uri")?)?;
    let code = totp.generate(unix_now()).to_string();
    post(
        client,
        &format!("{base}/api/v1/mfa/totp/confirm"),
        Some(&token),
        json!({"code": code}),
    )
    .await?;
    Ok(totp)
}

/// One sign-in: (whole, password step, code step) durations.
async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    totp: &totp_rs::Totp,
) -> Result<(Duration, Duration, Duration)> {
    let start = Instant::now();
    let first = post(
        client,
        &format!("{base}/api/v1/sessions"),
        None,
        json!({"email": email, "password": PASSWORD}),
    )
    .await?;
    let password_done = Instant::now();
    let mfa_token = field(&first, "mfa_token")?;
    let code = totp.generate(unix_now()).to_string();
    let second = post(
        client,
        &format!("{base}/api/v1/sessions/mfa"),
        None,
        json!({"mfa_token": mfa_token, "totp_code": code}),
    )
    .await?;
    field(&second, "token")?;
    let end = Instant::now();
    Ok((end - start, password_done - start, end - password_done))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn row(name: &str, mut d: Vec<Duration>) {
    d.sort();
    println!(
        "| {name} | {:.1} | {:.1} | {:.1} |",
        percentile(&d, 0.5),
        percentile(&d, 0.99),
        d.last().map_or(f64::NAN, |m| m.as_secs_f64() * 1000.0)
    );
}

#[tokio::main]
async fn main() -> Result<()> {
    let a = args()?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(a.clients)
        .build()?;
    let run = unix_now();

    let enrol_start = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (client, base, next) = (client.clone(), a.base.clone(), next.clone());
        let users = a.users;
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= users {
                    return Ok::<_, anyhow::Error>(mine);
                }
                let email = format!("load{run}-{i}@example.com");
                mine.push((email.clone(), enrol(&client, &base, &email).await?));
            }
        }));
    }
    let mut users = Vec::new();
    for t in tasks {
        users.extend(t.await??);
    }
    eprintln!(
        "{} users with TOTP in {:.1} s",
        users.len(),
        enrol_start.elapsed().as_secs_f64()
    );

    // The codes used to confirm are spent for their step: start at the next one.
    let wait = 30 - unix_now() % 30 + 1;
    eprintln!("waiting {wait} s for the next TOTP step");
    tokio::time::sleep(Duration::from_secs(wait)).await;

    let users = Arc::new(users);
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..a.clients {
        let (client, base, next, users) =
            (client.clone(), a.base.clone(), next.clone(), users.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((email, totp)) = users.get(i) else {
                    break;
                };
                times.push(sign_in(&client, &base, email, totp).await?);
            }
            Ok::<_, anyhow::Error>(times)
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    let elapsed = start.elapsed().as_secs_f64();
    if times.is_empty() {
        bail!("no sign-in finished");
    }

    println!(
        "\n{} sign-ins (password + TOTP) by {} clients in {:.1} s: {:.1} sign-ins/s, {:.1} requests/s{}\n",
        times.len(),
        a.clients,
        elapsed,
        times.len() as f64 / elapsed,
        2.0 * times.len() as f64 / elapsed,
        if next.load(Ordering::SeqCst) >= users.len() {
            " (ran out of users)"
        } else {
            ""
        }
    );
    println!("| what | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|");
    row("sign-in, both steps", times.iter().map(|t| t.0).collect());
    row(
        "POST /api/v1/sessions (password)",
        times.iter().map(|t| t.1).collect(),
    );
    row(
        "POST /api/v1/sessions/mfa (TOTP code)",
        times.iter().map(|t| t.2).collect(),
    );
    Ok(())
}
