//! TLS to the office's server (issue 21 item 4): `sslmode` and
//! `sslrootcert` as libpq takes them, against a throwaway cluster with
//! `ssl = on` and a self-signed `server.crt` made at test time as
//! docs/SERVER.md §4 says. Runs wherever PostgreSQL's binaries
//! (`/usr/lib/postgresql/*/bin`) and the `openssl` command are; says it was
//! skipped otherwise. HOMEDESK_TEST_PG is not needed (nor used).

use std::path::{Path, PathBuf};
use std::process::Command;

use homedesk::app;
use homedesk::store::pg::PgConn;
use homedesk::store::sql::{Sql, Value};
use homedesk::store::{Encryption, ServerAddress, Store, StoreError};

/// A cluster of this test's own with TLS on, stopped and removed on drop.
struct TlsCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

/// Runs `cmd` as the database's user: `postgres` when the test runs as
/// root (initdb and the server refuse root), else as the test's own.
fn as_postgres(cmd: &str) -> bool {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let status = if root {
        Command::new("su").args(["postgres", "-s", "/bin/sh", "-c", cmd]).status()
    } else {
        Command::new("sh").args(["-c", cmd]).status()
    };
    status.is_ok_and(|s| s.success())
}

/// A self-signed server certificate for `san` (`IP:…` or `DNS:…`), as
/// docs/SERVER.md §4 makes it: `<name>.crt` and `<name>.key` in `dir`,
/// `<name>` its subject.
fn certificate(dir: &Path, name: &str, san: &str) -> bool {
    Command::new("openssl")
        .current_dir(dir)
        .args(["req", "-new", "-x509", "-days", "3650", "-nodes", "-subj", &format!("/CN={name}")])
        .args(["-addext", &format!("subjectAltName={san}"), "-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-keyout", &format!("{name}.key"), "-out", &format!("{name}.crt")])
        .output()
        .is_ok_and(|o| o.status.success())
}

impl TlsCluster {
    fn start() -> Option<TlsCluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|v| v.path().join("bin"))
            .filter(|b| b.join("initdb").exists())
            .max();
        let Some(bin) = bin.filter(|_| Command::new("openssl").arg("version").output().is_ok()) else {
            eprintln!("PostgreSQL's binaries or openssl are not installed: the TLS tests were skipped");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        assert!(certificate(&path, "server", "IP:127.0.0.1"), "openssl made the server's certificate");
        assert!(certificate(&path, "other", "IP:127.0.0.1"), "openssl made another certificate");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let d = path.display();
        let b = bin.display();
        assert!(Command::new("sh")
            .args(["-c", &format!("chmod 755 {d} && mkdir {d}/data {d}/run && chmod a+r {d}/server.key && (id postgres >/dev/null 2>&1 && [ $(id -u) = 0 ] && chown postgres {d}/data {d}/run || true)")])
            .status()
            .unwrap()
            .success());
        let init = format!(
            "{b}/initdb -D {d}/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null"
        );
        assert!(as_postgres(&init), "initdb");
        let keys = format!("cp {d}/server.crt {d}/server.key {d}/data/ && chmod 600 {d}/data/server.key");
        assert!(as_postgres(&keys));
        let start = format!(
            "{b}/pg_ctl -D {d}/data -l {d}/run/log -w start -o '-p {port} -k {d}/run -c listen_addresses=127.0.0.1 \
             -c fsync=off -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key' >/dev/null"
        );
        assert!(as_postgres(&start), "the TLS cluster started (log in {d}/run/log)");
        Some(TlsCluster { dir, bin, port })
    }

    fn url(&self, params: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres?{params}", self.port)
    }

    fn cert(&self, name: &str) -> String {
        self.dir.path().join(format!("{name}.crt")).display().to_string()
    }
}

impl Drop for TlsCluster {
    fn drop(&mut self) {
        let stop = format!(
            "{}/pg_ctl -D {}/data -m immediate stop >/dev/null",
            self.bin.display(),
            self.dir.path().display()
        );
        as_postgres(&stop);
    }
}

/// Whether the connection made with `url` is encrypted (the server says).
fn encrypted(url: &str) -> Result<bool, String> {
    let conn = PgConn::connect(url).map_err(|e| e.to_string())?;
    let rows = conn
        .query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
        .map_err(|e| e.to_string())?;
    Ok(rows[0][0] == Value::Int(1))
}

#[test]
fn sslmode_is_honoured_and_verify_full_refuses_a_server_the_office_certificate_did_not_sign() {
    let Some(cluster) = TlsCluster::start() else { return };
    let server_crt = cluster.cert("server");

    assert_eq!(encrypted(&cluster.url("sslmode=disable")), Ok(false), "disable: in clear");
    assert_eq!(encrypted(&cluster.url("application_name=hd")), Ok(true), "prefer (the default) encrypts");
    assert_eq!(encrypted(&cluster.url("sslmode=require")), Ok(true), "require");
    let full = cluster.url(&format!("sslmode=verify-full&sslrootcert={server_crt}"));
    assert_eq!(encrypted(&full), Ok(true), "verify-full with the office's server.crt");
    let ca = cluster.url(&format!("sslmode=verify-ca&sslrootcert={server_crt}"));
    assert_eq!(encrypted(&ca), Ok(true), "verify-ca");
    let key_value = format!(
        "host=127.0.0.1 port={} user=postgres dbname=postgres sslmode=verify-full sslrootcert={server_crt}",
        cluster.port
    );
    assert_eq!(encrypted(&key_value), Ok(true), "the key=value form too");

    // The host's name is checked by verify-full only: the certificate names 127.0.0.1.
    let by_name = |mode: &str| {
        format!(
            "postgres://postgres@localhost:{}/postgres?sslmode={mode}&sslrootcert={server_crt}",
            cluster.port
        )
    };
    assert_eq!(encrypted(&by_name("verify-ca")), Ok(true), "verify-ca does not look at the name");
    let wrong_name = encrypted(&by_name("verify-full")).unwrap_err();
    assert!(wrong_name.contains("certificate was refused"), "{wrong_name}");
    eprintln!("verify-full by a name the certificate does not give: {wrong_name}");

    // Another certificate than the one the server has: refused, and said why.
    let other = cluster.url(&format!("sslmode=verify-full&sslrootcert={}", cluster.cert("other")));
    let refused =
        Store::open_server(&other).err().expect("a server the office's certificate did not sign is refused");
    let StoreError::ServerCertificate { cause, .. } = &refused else { panic!("{refused:?}") };
    assert!(cause.contains("invalid peer certificate: UnknownIssuer"), "{cause}");
    let words = homedesk::i18n::texts(homedesk::domain::Language::ZhHans)
        .store_error_at(&refused, homedesk::i18n::Place::Window);
    eprintln!("verify-full against the wrong certificate says: {words}");

    let no_root = encrypted(&cluster.url("sslmode=verify-full")).unwrap_err();
    assert!(no_root.contains("sslrootcert"), "{no_root}");
    let missing = encrypted(&cluster.url("sslmode=verify-full&sslrootcert=/nowhere/server.crt")).unwrap_err();
    assert!(missing.contains("/nowhere/server.crt"), "{missing}");

    // An office over verify-full: the whole schema made through it.
    let office = Store::open_server(&full).expect("an office opens over verify-full");
    assert!(!office.is_set_up().unwrap());
    assert!(office.schema_version().unwrap() > 0);
}

/// The window's server form (issue 21): the address it builds from its
/// fields — 加密方式 加密并验证证书 and the certificate file — connects over
/// verify-full as the command line's URL does, and the connection test
/// says in the clerk's words when the server's certificate is refused.
#[test]
fn the_forms_address_checks_the_servers_certificate() {
    let Some(cluster) = TlsCluster::start() else { return };
    let form = |host: &str, encryption: Encryption, cert: &str| ServerAddress {
        host: host.into(),
        port: cluster.port,
        database: "postgres".into(),
        user: "postgres".into(),
        password: String::new(),
        encryption,
        root_cert: cert.into(),
    };
    let checked = form("127.0.0.1", Encryption::VerifyFull, &cluster.cert("server"));
    assert_eq!(encrypted(&checked.url()), Ok(true), "verify-full through the form's address");
    assert!(matches!(app::peek_server(&checked.url()), Ok(None)), "the test reaches the (empty) database");
    assert_eq!(encrypted(&form("127.0.0.1", Encryption::Disable, "").url()), Ok(false), "不加密");
    assert_eq!(encrypted(&form("127.0.0.1", Encryption::Prefer, "").url()), Ok(true), "尽量加密");

    let t = homedesk::i18n::texts(homedesk::domain::Language::ZhHans);
    for refused in [
        form("127.0.0.1", Encryption::VerifyFull, &cluster.cert("other")),
        form("localhost", Encryption::VerifyFull, &cluster.cert("server")),
    ] {
        let error = app::peek_server(&refused.url()).expect_err("a certificate not the office's is refused");
        assert!(
            matches!(&error, app::AppError::Store(StoreError::ServerCertificate { .. })),
            "{}: {error:?}",
            refused.host
        );
        eprintln!("{}: {}", refused.host, t.app_error(&error));
    }
}
