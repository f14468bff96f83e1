// `sqlx::migrate!` embeds the migrations at compile time; rebuild when one is
// added or changed, which cargo would not otherwise notice.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
