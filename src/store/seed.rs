//! The demo organisation: 星河科技, a believable company of ~30 people in a
//! three-level department tree, with heads, managers, an admin, HR and
//! finance roles, and an automation bot. Seeded in one transaction, so a
//! failed seed leaves the database empty and a restart tries again.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, TransactionTrait};

use super::{
    Store,
    entity::{department, role, user, user_role},
};
use crate::error::Result;

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "signoff";

/// (key, name, parent key)
const DEPARTMENTS: &[(&str, &str, Option<&str>)] = &[
    ("hq", "星河科技 Xinghe Tech", None),
    ("rd", "研发中心 R&D Center", Some("hq")),
    ("platform", "平台组 Platform Team", Some("rd")),
    ("mobile", "移动组 Mobile Team", Some("rd")),
    ("finance", "财务部 Finance", Some("hq")),
    ("hr", "人力资源部 Human Resources", Some("hq")),
    ("ops", "运维部 Operations", Some("hq")),
    ("automation", "自动化组 Automation", Some("ops")),
    ("sales", "销售部 Sales", Some("hq")),
    ("east", "华东区 East China", Some("sales")),
    ("it", "信息技术部 IT", Some("hq")),
];

/// (username, display name, department key, roles, heads this department)
const USERS: &[(&str, &str, &str, &[&str], Option<&str>)] = &[
    ("zhao.wei", "赵伟 Zhao Wei", "hq", &["manager"], Some("hq")),
    ("chen.jie", "陈杰 Chen Jie", "rd", &["manager"], Some("rd")),
    ("bob", "Bob 王博", "platform", &["manager"], Some("platform")),
    ("alice", "Alice 李爱", "platform", &["staff"], None),
    ("zhang.min", "张敏 Zhang Min", "platform", &["staff"], None),
    ("huang.lei", "黄磊 Huang Lei", "platform", &["staff"], None),
    ("liu.yang", "刘洋 Liu Yang", "mobile", &["manager"], Some("mobile")),
    ("xu.jing", "徐静 Xu Jing", "mobile", &["staff"], None),
    ("he.tao", "何涛 He Tao", "mobile", &["staff"], None),
    ("wang.fang", "王芳 Wang Fang", "finance", &["manager", "finance"], Some("finance")),
    ("gao.yan", "高燕 Gao Yan", "finance", &["staff", "finance"], None),
    ("lin.hui", "林慧 Lin Hui", "finance", &["staff", "finance"], None),
    ("sun.li", "孙丽 Sun Li", "hr", &["manager", "hr"], Some("hr")),
    ("carol", "Carol 周可", "hr", &["staff", "hr"], None),
    ("ma.xin", "马欣 Ma Xin", "hr", &["staff", "hr"], None),
    ("zhou.qiang", "周强 Zhou Qiang", "ops", &["manager"], Some("ops")),
    ("guo.feng", "郭峰 Guo Feng", "ops", &["staff"], None),
    ("tang.yu", "唐宇 Tang Yu", "automation", &["staff"], Some("automation")),
    ("li.na", "李娜 Li Na", "sales", &["manager"], Some("sales")),
    ("wu.hao", "吴昊 Wu Hao", "east", &["manager"], Some("east")),
    ("zheng.qi", "郑琪 Zheng Qi", "east", &["staff"], None),
    ("feng.bo", "冯波 Feng Bo", "east", &["staff"], None),
    ("cao.yue", "曹悦 Cao Yue", "sales", &["staff"], None),
    ("dave", "Dave 邓伟", "sales", &["staff"], None),
    ("song.jia", "宋佳 Song Jia", "it", &["manager"], Some("it")),
    ("admin", "系统管理员 Admin", "it", &["admin", "staff"], None),
    ("yang.guang", "杨光 Yang Guang", "it", &["staff"], None),
    ("qian.duo", "钱多 Qian Duo", "finance", &["staff"], None),
    ("erin", "Erin 叶琳", "rd", &["staff"], None),
    ("ops-bot", "运维机器人 Ops Bot", "automation", &["bot"], None),
];

/// (code, name, system)
const ROLES: &[(&str, &str, bool)] = &[
    ("admin", "管理员 Administrator", true),
    ("manager", "经理 Manager", true),
    ("staff", "员工 Staff", true),
    ("bot", "机器人 Automation bot", true),
    ("hr", "人事 HR", false),
    ("finance", "财务 Finance", false),
];

/// What the seed created, for the start-up banner.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub users: usize,
    pub departments: usize,
}

impl Store {
    /// True when no user exists yet, i.e. the demo seed may run.
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(self.count_users().await? == 0)
    }

    /// Seeds the demo organisation. `password_hash` is the hash of
    /// [`DEMO_PASSWORD`], computed once by the caller: every demo login shares
    /// the published password, so hashing it thirty times buys nothing.
    pub async fn seed_demo(&self, password_hash: &str) -> Result<DemoSummary> {
        let txn = self.db.begin().await?;
        let summary = seed(&txn, password_hash).await?;
        txn.commit().await?;
        Ok(summary)
    }
}

async fn seed(txn: &DatabaseTransaction, password_hash: &str) -> Result<DemoSummary> {
    let now = Utc::now();
    let mut roles = HashMap::new();
    for (code, name, system) in ROLES {
        let row = role::ActiveModel {
            code: Set(code.to_string()),
            name: Set(name.to_string()),
            system: Set(*system),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        roles.insert(*code, row.id);
    }

    let mut departments: HashMap<&str, department::Model> = HashMap::new();
    for (key, name, parent) in DEPARTMENTS {
        let row = department::ActiveModel {
            name: Set(name.to_string()),
            parent_id: Set(parent.map(|p| departments[p].id)),
            head_id: Set(None),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        departments.insert(*key, row);
    }

    let mut users: HashMap<&str, i64> = HashMap::new();
    for (username, display, dept, user_roles, _) in USERS {
        let bot = user_roles.contains(&"bot");
        let row = user::ActiveModel {
            username: Set(username.to_string()),
            display_name: Set(display.to_string()),
            email: Set((!bot).then(|| format!("{}@xinghe.example", username.replace('.', "_")))),
            phone: Set(None),
            wecom_user_id: Set((!bot).then(|| username.replace(['.', '-'], "_"))),
            department_id: Set(Some(departments[dept].id)),
            manager_id: Set(None),
            active: Set(true),
            password_hash: Set((!bot).then(|| password_hash.to_string())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        users.insert(*username, row.id);
        for code in *user_roles {
            user_role::ActiveModel { user_id: Set(row.id), role_id: Set(roles[code]) }.insert(txn).await?;
        }
    }

    // Heads, then managers: a person's manager is the head of their
    // department, or of the department above when they head their own.
    let mut heads: HashMap<&str, i64> = HashMap::new();
    for (username, _, _, _, heads_dept) in USERS {
        if let Some(dept) = heads_dept {
            heads.insert(*dept, users[username]);
            let mut row: department::ActiveModel = departments[dept].clone().into();
            row.head_id = Set(Some(users[username]));
            row.update(txn).await?;
        }
    }
    let parent_of: HashMap<&str, Option<&str>> = DEPARTMENTS.iter().map(|(k, _, p)| (*k, *p)).collect();
    for (username, _, dept, _, heads_dept) in USERS {
        let mut at = if heads_dept.is_some() { parent_of[dept] } else { Some(*dept) };
        let mut manager = None;
        while let Some(d) = at {
            if let Some(&head) = heads.get(d).filter(|&&h| h != users[username]) {
                manager = Some(head);
                break;
            }
            at = parent_of[d];
        }
        if manager.is_some() {
            let row = user::ActiveModel { id: Set(users[username]), manager_id: Set(manager), ..Default::default() };
            row.update(txn).await?;
        }
    }
    Ok(DemoSummary { users: USERS.len(), departments: DEPARTMENTS.len() })
}
