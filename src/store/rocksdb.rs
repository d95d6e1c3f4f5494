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
        if writer {
            remove_bulk_leftovers(dir);
        }
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

/// Removes the `bulk-*.sst` files a killed bulk load left in the store:
/// oxigraph writes a load's sorted runs there and moves each into the
/// database as it commits, so one still under that name belongs to no
/// database file. Only a writer calls it, with the store's exclusive
/// lock held, so no load is running.
fn remove_bulk_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-")
            && name.ends_with(".sst")
            && entry.file_type().is_ok_and(|t| t.is_file())
            && std::fs::remove_file(entry.path()).is_ok()
        {
            eprintln!(
                "stratagraph: removed {}, left by an interrupted load",
                crate::cli::for_terminal(&entry.path().display().to_string())
            );
        }
    }
}
