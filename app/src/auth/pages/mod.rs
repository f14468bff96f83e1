//! Sign-up and login pages, a forgotten password's two pages, the page that
//! confirms a new address, the account's own forms, and the account state
//! every page can read.

mod account_forms;
mod confirm_email_page;
mod context;
mod forgot_password_page;
mod login_page;
mod logout_error;
mod logout_form;
mod redirect_if_signed_in;
mod register_page;
mod reset_password_page;

pub use account_forms::{AccountActions, AccountForms};
pub use confirm_email_page::ConfirmEmailPage;
pub use context::provide_auth;
pub use context::use_auth;
pub use context::AuthContext;
pub use forgot_password_page::ForgotPasswordPage;
pub use login_page::LoginPage;
pub use logout_error::LogoutError;
pub use logout_form::LogoutForm;
pub use register_page::RegisterPage;
pub use reset_password_page::ResetPasswordPage;
