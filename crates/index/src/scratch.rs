//! A folder of an add's temporary files inside the index folder: the sorted chunks of its articles
//! (`order.rs`) and the sorted runs of its postings (`runs.rs`).
//!
//! One add runs at a time (the database is locked), so a folder found when an add starts is what a
//! killed add left: it is removed. The folder is made with its first file, and removed once the
//! files are read ([`Scratch::remove`]) or, failing that, when it is dropped.

use std::io;
use std::path::{Path, PathBuf};

pub(crate) struct Scratch {
    folder: PathBuf,
    /// Whether the folder was made (and so is to be removed).
    made: bool,
}

impl Scratch {
    /// The folder `name` inside the index folder `index`, emptied of what a killed add left.
    pub(crate) fn new(index: &Path, name: &str) -> io::Result<Scratch> {
        let folder = index.join(name);
        if folder.exists() {
            std::fs::remove_dir_all(&folder)?;
        }
        Ok(Scratch {
            folder,
            made: false,
        })
    }

    /// The path of the file `name` in the folder, which is made if need be.
    pub(crate) fn file(&mut self, name: &str) -> io::Result<PathBuf> {
        if !self.made {
            std::fs::create_dir_all(&self.folder)?;
            self.made = true;
        }
        Ok(self.folder.join(name))
    }

    /// Removes the folder and its files (close them first).
    pub(crate) fn remove(mut self) -> io::Result<()> {
        if std::mem::replace(&mut self.made, false) {
            std::fs::remove_dir_all(&self.folder)
        } else {
            Ok(())
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.made {
            let _ = std::fs::remove_dir_all(&self.folder);
        }
    }
}
