use super::course_settings_fields::CourseSettingsFields;
use crate::courses::api::CreateCourse;
use crate::ui::PageTitle;
use crate::ui::{FormAction, PostForm};
use crate::{
    auth::{pages::use_auth, Role},
    error::AppError,
    ui::{ErrorNotice, SubmitButton},
};
use leptos::prelude::*;

/// `/courses/new`: a teacher starts a course. Learners are told they cannot.
#[component]
pub fn NewCoursePage() -> impl IntoView {
    let auth = use_auth();
    let create = FormAction::<CreateCourse>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <PageTitle text="New course · Engram" />
        <Suspense strict=true fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) if user.role >= Role::Teacher => {
                        view! {
                            <h1 class="mb-6 text-2xl font-bold tracking-tight sm:text-3xl">"New course"</h1>
                            <PostForm
                                action=create
                                attr:class="panel grid gap-4 sm:grid-cols-2"
                                attr:novalidate=true
                            >
                                <CourseSettingsFields prefix="course" error />
                                <p class="text-sm text-slate-600 sm:col-span-2 dark:text-slate-400">
                                    "The course starts as a draft that only you can see. Add lessons, then publish it."
                                </p>
                                <div class="sm:col-span-2 sm:w-48">
                                    <SubmitButton
                                        label="Create course"
                                        pending_label="Creating…"
                                        pending=create.pending()
                                    />
                                </div>
                            </PostForm>
                        }
                            .into_any()
                    }
                    Ok(Some(_)) => {
                        view! {
                            <ErrorNotice error=AppError::Forbidden />
                            <p class="mt-4 text-slate-600 dark:text-slate-400">
                                "Only teachers create courses. Browse the catalogue to find one to follow."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <ErrorNotice error=AppError::Unauthenticated /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
