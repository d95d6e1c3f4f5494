//! The `rocksdb` feature's backend: the store is oxigraph's RocksDB
//! database in the directory itself, for stores larger than memory.
//! Writers open it read-write; readers open it read-only, so a served
//! store can be queried and exported from the shell. Every transaction
//! and bulk load commits on disk as it ends, so there is nothing left to
//! keep after a change.

use std::path::Path;

use oxigraph::model::GraphName;
use oxigraph::store::Store;

use super::{storage, Backend, Kind};
use crate::error::Result;

/// A RocksDB store.
pub struct RocksDb;

impl Backend for RocksDb {
    const KIND: Kind = Kind::RocksDb;

    fn open(dir: &Path, writer: bool) -> Result<(Store, RocksDb)> {
        let store = if writer {
            Store::open(dir)
        } else {
            Store::open_read_only(dir)
        }
        .map_err(|e| storage(dir, e))?;
        Ok((store, RocksDb))
    }

    fn persist(&self, _store: &Store, _graphs: &[GraphName]) -> Result<()> {
        Ok(())
    }
}
