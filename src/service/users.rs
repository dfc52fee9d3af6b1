//! Administration of users. Every function checks the caller's
//! permission first, then parses and checks the input completely before it
//! writes anything, so a rejected request changes nothing.

use super::{
    input::{Issues, Patch, RawId, active_department, active_user, checked, parse_id},
    passwords,
};
use crate::{
    domain::{
        access::{Actor, Permission},
        names::{DisplayName, Email, NewPassword, Phone, Username, WecomUserId},
        org,
    },
    error::{Error, Result},
    store::{
        Store,
        users::{NewUser, User, UserPatch},
    },
};

async fn role_ids(store: &Store, codes: &[String]) -> Result<Vec<i64>> {
    let found = store.roles_by_codes(codes).await?;
    if let Some(missing) = codes.iter().find(|c| !found.iter().any(|r| &r.code == *c)) {
        return Err(Error::invalid_field("invalid_reference", "roles", format!("there is no role {missing:?}")));
    }
    Ok(found.into_iter().map(|r| r.id).collect())
}

/// A new user. Bots get no password: they authenticate with API tokens.
#[derive(Debug)]
pub struct CreateUserInput {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub wecom_user_id: Option<String>,
    pub department_id: Option<RawId>,
    pub manager_id: Option<RawId>,
    /// Role codes, e.g. `["staff", "hr"]`. Defaults to `["staff"]`.
    pub roles: Option<Vec<String>>,
    pub password: Option<String>,
}

pub async fn create_user(store: &Store, actor: &Actor, input: CreateUserInput) -> Result<User> {
    actor.require(Permission::ManageOrganisation)?;
    let mut issues = Issues::default();
    let username = issues.take(Username::parse("username", &input.username));
    let display_name = issues.take(DisplayName::parse("displayName", &input.display_name));
    let email = input.email.as_deref().map(|e| issues.take(Email::parse("email", e))).flatten();
    let phone = input.phone.as_deref().map(|p| issues.take(Phone::parse("phone", p))).flatten();
    let wecom = input.wecom_user_id.as_deref().map(|w| issues.take(WecomUserId::parse("wecomUserId", w))).flatten();
    let password = input.password.as_deref().map(|p| issues.take(NewPassword::parse("password", p))).flatten();
    let department_id = match &input.department_id {
        Some(id) => issues.take(active_department(store, "departmentId", id).await),
        None => None,
    };
    let manager_id = match &input.manager_id {
        Some(id) => issues.take(active_user(store, "managerId", id).await),
        None => None,
    };
    let roles = input.roles.unwrap_or_else(|| vec!["staff".into()]);
    let role_ids = issues.take(role_ids(store, &roles).await);
    issues.finish()?;
    let (username, display_name, role_ids) = (checked(username)?, checked(display_name)?, checked(role_ids)?);
    if store.user_by_username(username.clone().into_inner().as_str()).await?.is_some() {
        return Err(Error::invalid_field("already_exists", "username", "this username is already taken"));
    }
    let password_hash = match password {
        Some(p) => Some(passwords::hash(p.expose()).await?),
        None => None,
    };
    let user = store
        .insert_user(NewUser {
            username: username.into_inner(),
            display_name: display_name.into_inner(),
            email: email.map(Email::into_inner),
            phone: phone.map(Phone::into_inner),
            wecom_user_id: wecom.map(WecomUserId::into_inner),
            department_id,
            manager_id,
            password_hash,
        })
        .await?;
    store.set_user_roles(user.id, &role_ids).await?;
    Ok(user)
}

/// Changes to a user; absent fields stay, `null` clears a nullable one.
#[derive(Debug)]
pub struct UpdateUserInput {
    pub id: RawId,
    pub display_name: Option<String>,
    pub email: Patch<String>,
    pub phone: Patch<String>,
    pub wecom_user_id: Patch<String>,
    pub department_id: Patch<RawId>,
    pub manager_id: Patch<RawId>,
    pub roles: Option<Vec<String>>,
    /// Sets a new password and ends the user's sessions.
    pub password: Option<String>,
}

pub(super) fn patch_field<T, U>(
    issues: &mut Issues,
    value: &Patch<T>,
    parse: impl FnOnce(&T) -> Result<U>,
) -> Option<Option<U>> {
    match value {
        Patch::Keep => None,
        Patch::Clear => Some(None),
        Patch::Set(v) => issues.take(parse(v)).map(Some),
    }
}

pub async fn update_user(store: &Store, actor: &Actor, input: UpdateUserInput) -> Result<User> {
    actor.require(Permission::ManageOrganisation)?;
    let id = parse_id("id", &input.id)?;
    let current = store.user_required(id).await?;
    let mut issues = Issues::default();
    let display_name =
        input.display_name.as_deref().map(|n| issues.take(DisplayName::parse("displayName", n))).flatten();
    let email = patch_field(&mut issues, &input.email, |e| Email::parse("email", e).map(Email::into_inner));
    let phone = patch_field(&mut issues, &input.phone, |p| Phone::parse("phone", p).map(Phone::into_inner));
    let wecom = patch_field(&mut issues, &input.wecom_user_id, |w| {
        WecomUserId::parse("wecomUserId", w).map(WecomUserId::into_inner)
    });
    let password = input.password.as_deref().map(|p| issues.take(NewPassword::parse("password", p))).flatten();
    let department_id = match &input.department_id {
        Patch::Keep => None,
        Patch::Clear => Some(None),
        Patch::Set(d) => issues.take(active_department(store, "departmentId", d).await).map(Some),
    };
    let manager_id = match &input.manager_id {
        Patch::Keep => None,
        Patch::Clear => Some(None),
        Patch::Set(m) => issues.take(active_user(store, "managerId", m).await).map(Some),
    };
    if let Some(Some(manager)) = manager_id {
        issues.take(org::check_manager(id, Some(manager), &store.manager_links().await?));
    }
    let role_ids = match &input.roles {
        Some(codes) => issues.take(role_ids(store, codes).await),
        None => None,
    };
    issues.finish()?;
    let password_hash = match password {
        Some(p) => Some(Some(passwords::hash(p.expose()).await?)),
        None => None,
    };
    let reset_sessions = password_hash.is_some();
    let patch = UserPatch {
        display_name: display_name.map(DisplayName::into_inner),
        email,
        phone,
        wecom_user_id: wecom,
        department_id,
        manager_id,
        active: None,
        password_hash,
    };
    let user = store.update_user(current, patch).await?;
    if let Some(role_ids) = role_ids {
        store.set_user_roles(id, &role_ids).await?;
    }
    if reset_sessions {
        store.revoke_refresh_tokens_of(id).await?;
    }
    Ok(user)
}

/// Deactivates or reactivates a user. A deactivated user cannot log in, and
/// their sessions end at once (access tokens within their short lifetime).
pub async fn set_user_active(store: &Store, actor: &Actor, id: &str, active: bool) -> Result<User> {
    actor.require(Permission::ManageOrganisation)?;
    let id = parse_id("id", id)?;
    if !active && id == actor.user_id {
        return Err(Error::conflict("cannot_deactivate_self", "you cannot deactivate your own account"));
    }
    let current = store.user_required(id).await?;
    if current.active == active {
        return Ok(current);
    }
    let user = store.update_user(current, UserPatch { active: Some(active), ..Default::default() }).await?;
    if !active {
        store.revoke_refresh_tokens_of(id).await?;
    }
    Ok(user)
}

/// A user changing their own password; other sessions end.
pub async fn change_password(store: &Store, actor: &Actor, current: &str, new: &str) -> Result<()> {
    let user = store.user_required(actor.user_id).await?;
    let new = NewPassword::parse("newPassword", new)?;
    if !passwords::verify(user.password_hash.clone(), current).await? {
        return Err(Error::invalid_field("wrong_password", "currentPassword", "the current password is wrong"));
    }
    let hash = passwords::hash(new.expose()).await?;
    store.update_user(user, UserPatch { password_hash: Some(Some(hash)), ..Default::default() }).await?;
    store.revoke_other_sessions(actor.user_id, actor.session.as_deref()).await?;
    Ok(())
}
