//! TLS to the office's server (issue 21, docs/SERVER.md §4): libpq's
//! `sslmode` and `sslrootcert`, read from the URL (the driver takes only
//! `disable|prefer|require` and refuses `sslrootcert`), over rustls with
//! ring's bundled crypto, so no PC needs a system libssl.
//!
//! As libpq: `prefer` (the default) and `require` encrypt without checking
//! whose certificate it is — `require` with `sslrootcert` checks it as
//! `verify-ca` does; `verify-ca` checks that the office's certificate
//! (`server.crt`, given as `sslrootcert`) signed the server's, and
//! `verify-full` also that it names the host connected to.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::sql::SqlError;

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// The TLS part of a connection URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    pub mode: SslMode,
    pub root_cert: Option<PathBuf>,
}

/// `url` without `sslmode` and `sslrootcert`, and what they said. Both
/// forms of a libpq URL: `postgres://…?sslmode=…&sslrootcert=…` (values
/// percent-decoded) and `host=… sslmode=… sslrootcert=…` (values without
/// spaces or quotes).
pub fn split_url(url: &str) -> Result<(String, TlsSettings), SqlError> {
    let mut mode = None;
    let mut root_cert = None;
    let mut take = |key: &str, value: String| -> Result<bool, SqlError> {
        match key {
            "sslmode" => mode = Some(parse_mode(&value)?),
            "sslrootcert" => root_cert = Some(PathBuf::from(value)),
            _ => return Ok(false),
        }
        Ok(true)
    };
    let rest = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        match url.split_once('?') {
            None => url.to_string(),
            Some((base, query)) => {
                let mut kept = Vec::new();
                for pair in query.split('&') {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    if !take(key, percent_decoded(value))? {
                        kept.push(pair);
                    }
                }
                if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) }
            }
        }
    } else {
        let mut kept = Vec::new();
        for word in url.split_whitespace() {
            let (key, value) = word.split_once('=').unwrap_or((word, ""));
            if !take(key.trim(), value.trim().to_string())? {
                kept.push(word);
            }
        }
        kept.join(" ")
    };
    Ok((rest, TlsSettings { mode: mode.unwrap_or(SslMode::Prefer), root_cert }))
}

fn parse_mode(value: &str) -> Result<SslMode, SqlError> {
    Ok(match value {
        "disable" => SslMode::Disable,
        "prefer" | "allow" => SslMode::Prefer,
        "require" => SslMode::Require,
        "verify-ca" => SslMode::VerifyCa,
        "verify-full" => SslMode::VerifyFull,
        other => return Err(SqlError::Tls(format!("unknown sslmode={other}"))),
    })
}

/// `%XX` escapes decoded (a path in a URL: `C:%5Coffice%5Cserver.crt`).
fn percent_decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl TlsSettings {
    /// The driver's own mode: the checks beyond `require` are made here.
    pub fn driver_mode(&self) -> postgres::config::SslMode {
        match self.mode {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => postgres::config::SslMode::Require,
        }
    }

    /// The TLS connector for these settings (`None` for `disable`).
    pub fn connector(&self) -> Result<Option<MakeRustlsConnect>, SqlError> {
        // ring: builds with a C compiler alone on Windows and Linux (aws-lc
        // needs cmake and NASM). rustls 0.23.48 marks it deprecated for
        // having no post-quantum key exchange, which a LAN link to the
        // office's own server does without for now.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| SqlError::Tls(e.to_string()))?;
        let verifier: Arc<dyn ServerCertVerifier> = match (self.mode, &self.root_cert) {
            (SslMode::Disable, _) => return Ok(None),
            (SslMode::Prefer | SslMode::Require, None) => {
                Arc::new(Lenient { chain: None, provider: Arc::clone(&provider) })
            }
            (SslMode::VerifyCa | SslMode::VerifyFull, None) => {
                return Err(SqlError::Tls(
                    "sslmode=verify-ca and verify-full need sslrootcert= (the office's server.crt)".into(),
                ));
            }
            (mode, Some(path)) => {
                let roots = Arc::new(roots(path)?);
                let chain = WebPkiServerVerifier::builder_with_provider(roots, Arc::clone(&provider))
                    .build()
                    .map_err(|e| SqlError::Tls(e.to_string()))?;
                if mode == SslMode::VerifyFull {
                    chain
                } else {
                    Arc::new(Lenient { chain: Some(chain), provider: Arc::clone(&provider) })
                }
            }
        };
        let config = builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth();
        Ok(Some(MakeRustlsConnect::new(config)))
    }
}

/// rustls's reason when `e` is a server certificate refused by the checks
/// `sslmode` asked for (another server, or a certificate not the office's).
pub fn refused_certificate(e: &postgres::Error) -> Option<String> {
    let io = std::error::Error::source(e)?.downcast_ref::<std::io::Error>()?;
    match io.get_ref()?.downcast_ref::<rustls::Error>()? {
        refused @ rustls::Error::InvalidCertificate(_) => Some(refused.to_string()),
        _ => None,
    }
}

/// The certificates of the PEM file at `path`.
fn roots(path: &Path) -> Result<RootCertStore, SqlError> {
    let unreadable = |cause: String| SqlError::Tls(format!("sslrootcert {}: {cause}", path.display()));
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| unreadable(e.to_string()))? {
        roots.add(cert.map_err(|e| unreadable(e.to_string()))?).map_err(|e| unreadable(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(unreadable("no certificate in the file".into()));
    }
    Ok(roots)
}

/// `prefer`, `require` and `verify-ca`: the server's certificate checked
/// less than rustls's own verifier would — not at all (`prefer` and
/// `require` without `sslrootcert`, as libpq), or its chain to the office's
/// certificate whatever host name it gives (`verify-ca`, `chain`). The
/// handshake's signatures are checked either way: by the chain's verifier
/// when there is one, else by the provider's algorithms.
#[derive(Debug)]
struct Lenient {
    chain: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else { return Ok(ServerCertVerified::assertion()) };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        match &self.chain {
            Some(chain) => chain.verify_tls12_signature(message, cert, dss),
            None => {
                verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
            }
        }
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        match &self.chain {
            Some(chain) => chain.verify_tls13_signature(message, cert, dss),
            None => {
                verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
            }
        }
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        match &self.chain {
            Some(chain) => chain.supported_verify_schemes(),
            None => self.provider.signature_verification_algorithms.supported_schemes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{SslMode, split_url};

    #[test]
    fn sslmode_and_sslrootcert_are_taken_out_of_either_form_of_url() {
        let (rest, tls) =
            split_url("postgres://desk@host/db?sslmode=verify-full&sslrootcert=C%3A%5Cssl%5Cserver.crt&application_name=x")
                .unwrap();
        assert_eq!(rest, "postgres://desk@host/db?application_name=x");
        assert_eq!(
            (tls.mode, tls.root_cert.unwrap().display().to_string()),
            (SslMode::VerifyFull, r"C:\ssl\server.crt".into())
        );
        let (rest, tls) = split_url("host=10.0.0.5 dbname=homedesk sslmode=require").unwrap();
        assert_eq!(
            (rest.as_str(), tls.mode, tls.root_cert),
            ("host=10.0.0.5 dbname=homedesk", SslMode::Require, None)
        );
        let (rest, tls) = split_url("postgres://desk@host/db").unwrap();
        assert_eq!((rest.as_str(), tls.mode), ("postgres://desk@host/db", SslMode::Prefer));
        assert!(split_url("postgres://h/db?sslmode=sometimes").is_err());
    }
}
