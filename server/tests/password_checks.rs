//! Teachers' passwords are checked with Argon2, slow by design. The checks must not run
//! where every class's answers are stored, or a burst of logins (or someone guessing a
//! password) would hold up every pupil in the school.

use std::path::Path;
use std::sync::Arc;

use tokio::task::JoinSet;
use workworlds_content::ContentBundle;
use workworlds_server::hub::Hub;
use workworlds_server::store::Store;

const LOGINS: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_answers_while_passwords_are_being_checked() {
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open(data.path()).unwrap();
    store.add_teacher("Ms Jones", "the right password").unwrap();
    let content_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/data");
    let bundle = ContentBundle::read_dir(&content_dir).unwrap();
    let content = Arc::new(bundle.load().unwrap());
    let hub = Hub::restore(content, &bundle, store).unwrap();

    let mut logins = JoinSet::new();
    for attempt in 0..LOGINS {
        let hub = hub.clone();
        logins.spawn(async move {
            let password = if attempt == 0 {
                "the right password"
            } else {
                "a guess"
            };
            hub.check_teacher("Ms Jones", password).await.unwrap()
        });
    }
    // Every login has read its hash and the checks are under way or waiting their turn.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;

    // A store job, like saving an answer, is served at once: it does not queue behind
    // the checks. Were they on the store's thread, all of them would be done by now.
    hub.with_store(|store| store.last_alive()).await.unwrap();
    let mut finished = 0;
    while logins.try_join_next().is_some() {
        finished += 1;
    }
    assert!(
        finished < LOGINS,
        "the store answered only after every password check had finished"
    );

    let mut accepted = 0;
    while let Some(login) = logins.join_next().await {
        accepted += usize::from(login.unwrap());
    }
    // The early finishers were counted above; only the right password is accepted.
    assert!(accepted <= 1);
    assert!(
        hub.check_teacher("Ms Jones", "the right password")
            .await
            .unwrap()
    );
    assert!(
        !hub.check_teacher("Mr Nobody", "the right password")
            .await
            .unwrap()
    );
}
