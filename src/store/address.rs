//! A server's address as the window's form holds it — host, port,
//! database, login, password — turned into the libpq URL the store opens
//! and back (issue 21). The URL's format is the store's to know; the window
//! only fills fields.

use serde::{Deserialize, Serialize};

/// The port PostgreSQL listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 5432;

/// How long a connection from the window waits for the server to answer
/// before it is reported as unreachable (a host that drops packets would
/// otherwise keep the clerk waiting for the system's two minutes).
pub const CONNECT_TIMEOUT_SECS: u32 = 10;

/// The office's server, field by field. `password` is empty when none is
/// known (not kept on this PC, still to be asked for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerAddress {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub password: String,
}

impl Default for ServerAddress {
    /// The names docs/SERVER.md has IT create.
    fn default() -> Self {
        ServerAddress {
            host: String::new(),
            port: DEFAULT_PORT,
            database: "homedesk".into(),
            user: "homedesk".into(),
            password: String::new(),
        }
    }
}

impl ServerAddress {
    /// The libpq URL to connect with (the password in it: never show it,
    /// show [`super::redact_url`] of it).
    pub fn url(&self) -> String {
        let password =
            if self.password.is_empty() { String::new() } else { format!(":{}", encode(&self.password)) };
        let host =
            if self.host.contains(':') { format!("[{}]", self.host.trim()) } else { self.host.trim().into() };
        format!(
            "postgresql://{}{password}@{host}:{}/{}?connect_timeout={CONNECT_TIMEOUT_SECS}",
            encode(self.user.trim()),
            self.port,
            encode(self.database.trim()),
        )
    }

    /// The fields of a URL (`--db postgres://…`, or one saved before), to
    /// show it in the form; `None` for text the driver cannot read.
    pub fn from_url(url: &str) -> Option<ServerAddress> {
        let config: postgres::Config = url.parse().ok()?;
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(host)) => host.clone(),
            #[cfg(unix)]
            Some(postgres::config::Host::Unix(dir)) => dir.display().to_string(),
            None => String::new(),
        };
        let defaults = ServerAddress::default();
        Some(ServerAddress {
            host,
            port: config.get_ports().first().copied().unwrap_or(DEFAULT_PORT),
            database: config.get_dbname().map_or(defaults.database, str::to_string),
            user: config.get_user().map_or(defaults.user, str::to_string),
            password: config
                .get_password()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .unwrap_or_default(),
        })
    }

    /// The same address without its password (what a PC keeps when
    /// 记住密码 is not ticked).
    pub fn without_password(&self) -> ServerAddress {
        ServerAddress { password: String::new(), ..self.clone() }
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters: a password
/// may hold `@`, `:`, `/` or Chinese.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_goes_to_a_url_and_back_whatever_its_password_holds() {
        let address = ServerAddress {
            host: "192.168.1.20".into(),
            port: 5433,
            database: "homedesk".into(),
            user: "desk".into(),
            password: "p@ss:w/rd 密".into(),
        };
        let url = address.url();
        assert!(url.starts_with("postgresql://desk:p%40ss%3Aw%2Frd%20%E5%AF%86@192.168.1.20:5433/homedesk?"));
        assert_eq!(ServerAddress::from_url(&url), Some(address.clone()));
        assert!(!super::super::redact_url(&url).contains("p%40ss"));
        let bare = address.without_password();
        assert_eq!(ServerAddress::from_url(&bare.url()), Some(bare));
    }

    #[test]
    fn a_url_without_port_or_names_fills_the_defaults() {
        let address = ServerAddress::from_url("postgres://server/").unwrap();
        assert_eq!((address.host.as_str(), address.port), ("server", DEFAULT_PORT));
        assert_eq!(ServerAddress::from_url("not a url"), None);
    }
}
