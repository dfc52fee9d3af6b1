//! sea-orm entities, one per table. They are storage rows only: GraphQL and
//! the domain have their own types, converted at the edges.

pub mod api_token;
pub mod department;
pub mod proxy;
pub mod refresh_token;
pub mod role;
pub mod server_secret;
pub mod user;
pub mod user_role;
