//! A server's address as the window's form holds it — host, port,
//! database, login, password, how the connection is encrypted and the
//! certificate it is checked against — turned into the libpq URL the store
//! opens and back (issue 21). The URL's format is the store's to know; the
//! window only fills fields.

use serde::{Deserialize, Serialize};

use super::pg::tls::{SslMode, split_url};

/// The port PostgreSQL listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 5432;

/// How long a connection from the window waits for the server to answer
/// before it is reported as unreachable (a host that drops packets would
/// otherwise keep the clerk waiting for the system's two minutes).
pub const CONNECT_TIMEOUT_SECS: u32 = 10;

/// How the connection to the server is encrypted and its certificate
/// checked: libpq's `sslmode` (docs/SERVER.md §6). The window offers
/// [`Encryption::CHOICES`]; the other two come only from a URL typed for
/// the command line, and are kept as they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encryption {
    /// In clear.
    Disable,
    /// Encrypted when the server can, its certificate not checked (libpq's default).
    #[default]
    Prefer,
    /// Encrypted, its certificate not checked (checked as `verify-ca` with a certificate file).
    Require,
    /// Encrypted, the certificate signed by the office's `server.crt`.
    VerifyCa,
    /// Encrypted, the certificate signed by the office's `server.crt` and
    /// naming the address connected to.
    VerifyFull,
}

impl Encryption {
    /// What the window's form offers.
    pub const CHOICES: [Encryption; 3] = [Encryption::Disable, Encryption::Prefer, Encryption::VerifyFull];

    /// libpq's name of it.
    pub fn sslmode(self) -> &'static str {
        match self {
            Encryption::Disable => "disable",
            Encryption::Prefer => "prefer",
            Encryption::Require => "require",
            Encryption::VerifyCa => "verify-ca",
            Encryption::VerifyFull => "verify-full",
        }
    }

    /// Whether the server's certificate is checked against a certificate
    /// file (`sslrootcert`), which is then needed (`require` takes one if given).
    pub fn checks_certificate(self) -> bool {
        matches!(self, Encryption::VerifyCa | Encryption::VerifyFull)
    }

    /// Whether a certificate file given goes into the URL.
    fn takes_certificate(self) -> bool {
        matches!(self, Encryption::Require | Encryption::VerifyCa | Encryption::VerifyFull)
    }

    fn of(mode: SslMode) -> Encryption {
        match mode {
            SslMode::Disable => Encryption::Disable,
            SslMode::Prefer => Encryption::Prefer,
            SslMode::Require => Encryption::Require,
            SslMode::VerifyCa => Encryption::VerifyCa,
            SslMode::VerifyFull => Encryption::VerifyFull,
        }
    }
}

/// The office's server, field by field. `password` is empty when none is
/// known (not kept on this PC, still to be asked for). A place saved
/// before `encryption` and `root_cert` existed loads with their defaults
/// (`prefer`, no file), which is how it connected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerAddress {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub password: String,
    pub encryption: Encryption,
    /// The office's certificate file (`server.crt`, docs/SERVER.md §4) on
    /// this PC; empty when none is given.
    pub root_cert: String,
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
            encryption: Encryption::default(),
            root_cert: String::new(),
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
        let mut url = format!(
            "postgresql://{}{password}@{host}:{}/{}?connect_timeout={CONNECT_TIMEOUT_SECS}",
            encode(self.user.trim()),
            self.port,
            encode(self.database.trim()),
        );
        // libpq's default is left out: an address saved before these
        // fields gives the URL it gave then.
        if self.encryption != Encryption::Prefer {
            url.push_str(&format!("&sslmode={}", self.encryption.sslmode()));
        }
        let root_cert = self.root_cert.trim();
        if self.encryption.takes_certificate() && !root_cert.is_empty() {
            url.push_str(&format!("&sslrootcert={}", encode(root_cert)));
        }
        url
    }

    /// The fields of a URL (`--db postgres://…`, or one saved before), to
    /// show it in the form; `None` for text the driver cannot read.
    pub fn from_url(url: &str) -> Option<ServerAddress> {
        let (rest, tls) = split_url(url).ok()?;
        let config: postgres::Config = rest.parse().ok()?;
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
            encryption: Encryption::of(tls.mode),
            root_cert: tls.root_cert.map(|path| path.display().to_string()).unwrap_or_default(),
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
            ..ServerAddress::default()
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

    #[test]
    fn the_encryption_and_the_certificate_file_go_into_the_url_and_back() {
        let address = ServerAddress {
            host: "192.168.1.10".into(),
            encryption: Encryption::VerifyFull,
            root_cert: r"C:\HomeDesk\server 1.crt".into(),
            ..ServerAddress::default()
        };
        let url = address.url();
        assert!(url.ends_with("&sslmode=verify-full&sslrootcert=C%3A%5CHomeDesk%5Cserver%201.crt"), "{url}");
        assert_eq!(ServerAddress::from_url(&url), Some(address.clone()));
        let (_, tls) = split_url(&url).unwrap();
        assert_eq!(tls.mode, SslMode::VerifyFull);
        assert_eq!(tls.root_cert.unwrap().display().to_string(), address.root_cert);

        // Not encrypted: no certificate file in the URL, whatever the field holds.
        let clear = ServerAddress { encryption: Encryption::Disable, ..address.clone() };
        assert!(clear.url().ends_with("&sslmode=disable"), "{}", clear.url());
        // libpq's default is not written: an old address's URL is as it was.
        let default = ServerAddress { encryption: Encryption::Prefer, ..address };
        assert!(default.url().ends_with("?connect_timeout=10"), "{}", default.url());
    }
}
