//! Local stand-ins for the providers notifications talk to, speaking their
//! protocols over real sockets: an SMTP server that can go down and come
//! back on its port, and a WeCom server that checks access tokens, JSON
//! shapes and the robots' rate limit, and can answer WeCom's errors.

use std::{
    collections::{HashMap, HashSet},
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    extract::{Query, State},
    routing::{get, post},
};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    task::JoinSet,
};

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl Mail {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default().parse(&self.data).expect("a MIME message")
    }
}

/// An SMTP server on loopback.
pub struct Smtp {
    pub port: u16,
    pub mails: Arc<Mutex<Vec<Mail>>>,
    tasks: Option<JoinSet<()>>,
}

impl Smtp {
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// A port nothing listens on yet (for a server that starts later).
    pub fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    pub async fn start_on(port: u16) -> Self {
        let mut s = Self { port, mails: Arc::default(), tasks: None };
        s.up().await;
        s
    }

    /// Listens (again) on the port, keeping what was received.
    pub async fn up(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.expect("the SMTP port is free");
        self.port = listener.local_addr().unwrap().port();
        let mails = self.mails.clone();
        let mut tasks = JoinSet::new();
        let conns = Arc::new(Mutex::new(JoinSet::new()));
        let held = conns.clone();
        tasks.spawn(async move {
            let _held = held;
            loop {
                let Ok((stream, _)) = listener.accept().await else { break };
                let mails = mails.clone();
                conns.lock().unwrap().spawn(session(stream, mails));
            }
        });
        self.tasks = Some(tasks);
    }

    /// Stops listening and drops every open connection.
    pub async fn down(&mut self) {
        if let Some(mut tasks) = self.tasks.take() {
            tasks.abort_all();
            while tasks.join_next().await.is_some() {}
        }
    }

    pub fn received(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

async fn session(stream: tokio::net::TcpStream, mails: Arc<Mutex<Vec<Mail>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 fake.smtp ESMTP\r\n").await;
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-fake.smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if command.starts_with("HELO")
            || command.starts_with("MAIL FROM")
            || command == "RSET"
            || command == "NOOP"
        {
            if command == "RSET" {
                to.clear();
            }
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO:") {
            to.push(line.trim_end()[8..].trim().trim_matches(['<', '>']).to_string());
            b"250 OK\r\n"
        } else if command == "DATA" {
            let _ = write.write_all(b"354 go ahead\r\n").await;
            let mut data = Vec::new();
            loop {
                let mut l = String::new();
                if lines.read_line(&mut l).await.unwrap_or(0) == 0 {
                    return;
                }
                if l == ".\r\n" {
                    break;
                }
                data.extend_from_slice(l.strip_prefix('.').unwrap_or(&l).as_bytes());
            }
            mails.lock().unwrap().push(Mail { to: std::mem::take(&mut to), data });
            b"250 queued\r\n"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// What the fake WeCom received and how it behaves.
#[derive(Default)]
pub struct WeComState {
    pub corp_id: String,
    pub secret: String,
    pub agent_id: i64,
    tokens: Mutex<HashSet<String>>,
    issued: AtomicU64,
    /// Answer 42001 (token expired) to the next call that carries a token.
    pub expire_next: AtomicBool,
    /// Answer every call with HTTP 502.
    pub down: AtomicBool,
    pub cards: Mutex<Vec<Value>>,
    pub updates: Mutex<Vec<Value>>,
    codes: Mutex<HashSet<String>>,
    pub robot_keys: Mutex<HashSet<String>>,
    pub robot_posts: Mutex<Vec<(Instant, String, String)>>,
    pub robot_limit: usize,
    pub robot_window: Duration,
    /// Calls refused as malformed or over a limit: a strict server's record.
    pub refusals: Mutex<Vec<String>>,
    pub token_fetches: AtomicU64,
}

pub struct WeCom {
    pub addr: SocketAddr,
    pub state: Arc<WeComState>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WeCom {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Q = Query<HashMap<String, String>>;

fn err(state: &WeComState, code: i64, message: &str) -> Json<Value> {
    state.refusals.lock().unwrap().push(format!("{code} {message}"));
    Json(json!({ "errcode": code, "errmsg": message }))
}

impl WeCom {
    pub async fn start(corp_id: &str, secret: &str, agent_id: i64, robot_limit: usize, robot_window: Duration) -> Self {
        let state = Arc::new(WeComState {
            corp_id: corp_id.into(),
            secret: secret.into(),
            agent_id,
            robot_limit,
            robot_window,
            ..Default::default()
        });
        let app = Router::new()
            .route("/cgi-bin/gettoken", get(gettoken))
            .route("/cgi-bin/message/send", post(send))
            .route("/cgi-bin/message/update_template_card", post(update))
            .route("/cgi-bin/webhook/send", post(robot))
            .with_state(state.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, state, task }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }
}

fn check_token(state: &WeComState, q: &HashMap<String, String>) -> Result<(), Json<Value>> {
    let token = q.get("access_token").cloned().unwrap_or_default();
    if !state.tokens.lock().unwrap().contains(&token) {
        return Err(err(state, 40014, "invalid access_token"));
    }
    if state.expire_next.swap(false, Ordering::SeqCst) {
        state.tokens.lock().unwrap().remove(&token);
        return Err(err(state, 42001, "access_token expired"));
    }
    Ok(())
}

async fn gettoken(State(state): State<Arc<WeComState>>, Query(q): Q) -> axum::response::Response {
    use axum::response::IntoResponse;
    if state.down.load(Ordering::SeqCst) {
        return axum::http::StatusCode::BAD_GATEWAY.into_response();
    }
    state.token_fetches.fetch_add(1, Ordering::SeqCst);
    if q.get("corpid") != Some(&state.corp_id) || q.get("corpsecret") != Some(&state.secret) {
        return err(&state, 40001, "invalid credential").into_response();
    }
    let token = format!("tok-{}", state.issued.fetch_add(1, Ordering::SeqCst));
    state.tokens.lock().unwrap().insert(token.clone());
    Json(json!({ "errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200 })).into_response()
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k)).and_then(Value::as_str).filter(|s| !s.is_empty())
}

async fn send(State(state): State<Arc<WeComState>>, Query(q): Q, Json(body): Json<Value>) -> Json<Value> {
    if let Err(e) = check_token(&state, &q) {
        return e;
    }
    let card = &body["template_card"];
    let kind = str_at(card, &["card_type"]).unwrap_or_default();
    let shaped = str_at(&body, &["touser"]).is_some()
        && body["msgtype"] == "template_card"
        && body["agentid"] == state.agent_id
        && str_at(card, &["main_title", "title"]).is_some_and(|t| t.chars().count() <= 36)
        && str_at(card, &["card_action", "url"]).is_some()
        && match kind {
            "text_notice" => true,
            "button_interaction" => {
                str_at(card, &["task_id"]).is_some_and(|t| t.len() <= 128)
                    && card["button_list"].as_array().is_some_and(|b| {
                        (1..=6).contains(&b.len())
                            && b.iter().all(|b| str_at(b, &["text"]).is_some() && str_at(b, &["key"]).is_some())
                    })
            }
            _ => false,
        };
    if !shaped {
        return err(&state, 40058, &format!("invalid template_card: {body}"));
    }
    let n = state.issued.fetch_add(1, Ordering::SeqCst);
    let code = format!("rc-{n}");
    state.codes.lock().unwrap().insert(code.clone());
    state.cards.lock().unwrap().push(body);
    Json(json!({ "errcode": 0, "errmsg": "ok", "msgid": format!("msg-{n}"), "response_code": code }))
}

async fn update(State(state): State<Arc<WeComState>>, Query(q): Q, Json(body): Json<Value>) -> Json<Value> {
    if let Err(e) = check_token(&state, &q) {
        return e;
    }
    let code = str_at(&body, &["response_code"]).unwrap_or_default().to_string();
    // A response code updates one card once.
    if !state.codes.lock().unwrap().remove(&code) || str_at(&body, &["button", "replace_name"]).is_none() {
        return err(&state, 40058, &format!("invalid update: {body}"));
    }
    state.updates.lock().unwrap().push(body);
    Json(json!({ "errcode": 0, "errmsg": "ok" }))
}

async fn robot(State(state): State<Arc<WeComState>>, Query(q): Q, Json(body): Json<Value>) -> Json<Value> {
    let key = q.get("key").cloned().unwrap_or_default();
    if !state.robot_keys.lock().unwrap().contains(&key) {
        return err(&state, 93000, "invalid webhook url");
    }
    let Some(content) = str_at(&body, &["markdown", "content"]).filter(|_| body["msgtype"] == "markdown") else {
        return err(&state, 40058, "invalid markdown message");
    };
    let now = Instant::now();
    let mut posts = state.robot_posts.lock().unwrap();
    let recent = posts.iter().filter(|(at, k, _)| k == &key && now.duration_since(*at) < state.robot_window).count();
    if recent >= state.robot_limit {
        drop(posts);
        return err(&state, 45009, "api freq out of limit");
    }
    posts.push((now, key, content.to_string()));
    Json(json!({ "errcode": 0, "errmsg": "ok" }))
}
