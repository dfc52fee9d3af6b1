//! sea-orm entities, one per table. They are storage rows only: GraphQL and
//! the domain have their own types, converted at the edges.

pub mod api_token;
pub mod delivery;
pub mod department;
pub mod job;
pub mod lease;
pub mod mutation_receipt;
pub mod notification_setting;
pub mod outbox;
pub mod project;
pub mod proxy;
pub mod refresh_token;
pub mod robot;
pub mod role;
pub mod server_secret;
pub mod template;
pub mod template_version;
pub mod ticket;
pub mod ticket_counter;
pub mod ticket_event;
pub mod ticket_item;
pub mod user;
pub mod user_role;
