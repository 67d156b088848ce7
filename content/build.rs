//! Builds the list of the shipped content files (`data/`) that the crate compiles into
//! itself, so a game or server copied to a computer without this source tree still has
//! every world, quest and challenge it was built with.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    // A folder here is scanned whole by cargo, so adding or removing a file rebuilds.
    println!("cargo::rerun-if-changed=data");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut list = String::from("&[\n");
    for name in &files {
        // `include_str!` makes every file a dependency of the build, and the path is
        // written with `{:?}` so any character in a name is escaped for Rust.
        let full = root.join(name);
        let full = full.to_str().expect("the content folder's path is UTF-8");
        writeln!(list, "    ({name:?}, include_str!({full:?})),").expect("writing to a String");
    }
    list.push(']');
    let out =
        Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("shipped.rs");
    fs::write(out, list).expect("the build can write to OUT_DIR");
}

/// Every `.ron` file under `dir`, by its path from `root` with `/` between names.
fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let entries = fs::read_dir(dir).expect("the shipped content folder is readable");
    for entry in entries {
        let path = entry
            .expect("the shipped content folder is readable")
            .path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.extension().is_some_and(|ext| ext == "ron") {
            let relative = path.strip_prefix(root).expect("a file under the root");
            let parts: Vec<_> = relative
                .components()
                .map(|part| {
                    part.as_os_str()
                        .to_str()
                        .expect("content file names are UTF-8")
                })
                .collect();
            files.push(parts.join("/"));
        }
    }
}
