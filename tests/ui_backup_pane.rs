//! 设置 › 数据备份 on both backends (issue 21, item 6): on a file it offers
//! backup, restore and the daily backups' folder as before; on an office
//! server it backs up to a file, says that the server's daily backups are
//! IT's, and leaves restoring to IT (its button off, saying how).

mod common;
#[path = "common/ui.rs"]
mod ui;

use common::MANAGER_LOGIN;
use common::backends::{Backend, Named, offices};
use common::{fixed_clock, now};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use ui::{shows, signed_in, tx};

#[test]
fn the_backup_pane_on_a_server_backs_up_and_leaves_restoring_to_it() {
    let t = tx();
    for (backend, desk, office) in offices(|| fixed_clock(now())) {
        let _named = Named(backend.name());
        let on_server = matches!(backend, Backend::Server(_));
        let mut harness = signed_in(desk, office.manager.clone(), MANAGER_LOGIN);
        harness.get_by_label(t.tab_settings).click();
        harness.run();
        harness.get_by_label(t.settings_backups).click();
        harness.run();

        let backup = harness.get_by_role_and_label(Role::Button, t.bk_backup_now);
        assert!(!backup.accesskit_node().is_disabled(), "a backup to a file on either backend");
        let restore = harness.get_by_role_and_label(Role::Button, t.bk_restore);
        assert_eq!(restore.accesskit_node().is_disabled(), on_server, "a server is restored by IT");
        assert_eq!(shows(&harness, t.bk_server_daily), on_server, "the server's backups are IT's");
        assert_eq!(shows(&harness, t.bk_server_restore), on_server, "how IT restores a server");
        assert_eq!(shows(&harness, t.bk_kept), !on_server, "how many daily backups: a file's only");
    }
}
