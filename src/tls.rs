//! The crypto provider of every HTTPS connection: rustls with *ring*. reqwest is built without
//! a provider of its own (its default, aws-lc, is a large C library that takes minutes to
//! compile), so one must be installed in the process before a client is built.

/// Installs *ring* as the process's rustls crypto provider, unless one is installed already.
/// Cheap to call more than once; call it before building a `reqwest::Client`.
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may have installed one meanwhile: any provider will do.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_client_builds_once_the_provider_is_installed() {
        super::install_crypto_provider();
        super::install_crypto_provider();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        reqwest::Client::builder().build().unwrap();
    }
}
