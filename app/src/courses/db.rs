//! Course, lesson and enrolment queries.

use sqlx::PgPool;
use uuid::Uuid;

use super::{AttachableDeck, Course, CourseLevel, CourseStatus, LessonSummary, Progress, ValidCourse};
use crate::{
    auth::{Role, User},
    decks::DeckSummary,
    error::AppError,
};

/// A taken slug is the author's to fix, so it becomes a field error.
fn slug_taken(error: sqlx::Error) -> AppError {
    match &error {
        sqlx::Error::Database(database) if database.constraint() == Some("courses_owner_slug_key") => {
            AppError::field("slug", super::SLUG_TAKEN_BY_YOU)
        }
        // Only published and archived courses reserve an address for
        // everyone, and those anyone could find, so saying so reveals no draft.
        sqlx::Error::Database(database) if database.constraint() == Some("courses_public_slug_key") => {
            AppError::field("slug", super::SLUG_TAKEN_PUBLICLY)
        }
        _ => error.into(),
    }
}

/// The course at `/courses/<slug>` for `viewer`. Drafts share addresses
/// across authors, so the viewer's own course comes first, then the one
/// published course at that address; an admin, who may open any draft,
/// gets the oldest draft when neither exists.
pub async fn find_course_by_slug(
    pool: &PgPool,
    slug: &str,
    viewer: Option<&User>,
) -> Result<Option<Course>, AppError> {
    let viewer_id = viewer.map(|viewer| viewer.id);
    let viewer_is_admin = viewer.is_some_and(|viewer| viewer.role == Role::Admin);
    let course = sqlx::query_as!(
        Course,
        r#"
        select c.id, c.owner_id, u.display_name as owner_name, c.slug, c.title, c.description,
               c.category, c.level as "level: CourseLevel", c.language,
               c.status as "status: CourseStatus", c.cover_sha256
        from courses c join users u on u.id = c.owner_id
        where c.slug = $1 and (c.owner_id = $2 or c.status <> 'draft' or $3)
        order by coalesce(c.owner_id = $2, false) desc, (c.status <> 'draft') desc, c.created_at, c.id
        limit 1
        "#,
        slug,
        viewer_id as Option<Uuid>,
        viewer_is_admin,
    )
    .fetch_optional(pool)
    .await?;
    Ok(course)
}

pub async fn find_course(pool: &PgPool, course_id: Uuid) -> Result<Option<Course>, AppError> {
    let course = sqlx::query_as!(
        Course,
        r#"
        select c.id, c.owner_id, u.display_name as owner_name, c.slug, c.title, c.description,
               c.category, c.level as "level: CourseLevel", c.language,
               c.status as "status: CourseStatus", c.cover_sha256
        from courses c join users u on u.id = c.owner_id
        where c.id = $1
        "#,
        course_id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(course)
}

/// Refuses an address that a published or archived course other than
/// `except` holds. A draft could take it, but could never be published; and
/// what is refused here anyone could already find.
async fn ensure_address_is_free(pool: &PgPool, slug: &str, except: Option<Uuid>) -> Result<(), AppError> {
    let taken = sqlx::query_scalar!(
        r#"select exists (
               select 1 from courses
               where slug = $1 and status <> 'draft' and id is distinct from $2
           ) as "taken!""#,
        slug,
        except as Option<Uuid>,
    )
    .fetch_one(pool)
    .await?;
    if taken {
        Err(AppError::field("slug", super::SLUG_TAKEN_PUBLICLY))
    } else {
        Ok(())
    }
}

/// The first address free for a new course of `owner_id`'s among `slug`,
/// `slug-2` … `slug-100` (shortened to keep within 80 characters): none of
/// their own courses, and no published or archived one, has it.
async fn first_free_address(pool: &PgPool, owner_id: Uuid, slug: &str) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select candidate as "candidate!"
           from generate_series(1, 100) as n,
                lateral (select case when n = 1 then $1
                                     else rtrim(left($1, 80 - 1 - length(n::text)), '-') || '-' || n
                                end as candidate) as named
           where not exists (select 1 from courses
                             where slug = candidate and (owner_id = $2 or status <> 'draft'))
           order by n
           limit 1"#,
        slug,
        owner_id,
    )
    .fetch_optional(pool)
    .await?)
}

/// Creates a course and answers its id and address, which for an address
/// made from the title may end in a number (`first_free_address`).
pub async fn create_course(
    pool: &PgPool,
    owner_id: Uuid,
    course: &ValidCourse,
) -> Result<(Uuid, String), AppError> {
    let free = match course.slug_from_title {
        true => first_free_address(pool, owner_id, &course.slug).await?,
        false => None,
    };
    // An address found free needs no second look; any other is checked.
    let slug = match free {
        Some(free) => free,
        None => {
            ensure_address_is_free(pool, &course.slug, None).await?;
            course.slug.clone()
        }
    };
    let created = sqlx::query!(
        r#"insert into courses (owner_id, slug, title, description, category, level, language)
           values ($1, $2, $3, $4, $5, $6, $7) returning id, slug"#,
        owner_id,
        slug,
        course.title,
        course.description,
        course.category,
        course.level as CourseLevel,
        course.language,
    )
    .fetch_one(pool)
    .await
    .map_err(slug_taken)?;
    Ok((created.id, created.slug))
}

pub async fn update_course(pool: &PgPool, course_id: Uuid, course: &ValidCourse) -> Result<(), AppError> {
    ensure_address_is_free(pool, &course.slug, Some(course_id)).await?;
    sqlx::query!(
        r#"update courses
           set slug = $2, title = $3, description = $4, category = $5, level = $6, language = $7,
               updated_at = now()
           where id = $1"#,
        course_id,
        course.slug,
        course.title,
        course.description,
        course.category,
        course.level as CourseLevel,
        course.language,
    )
    .execute(pool)
    .await
    .map_err(slug_taken)?;
    Ok(())
}

pub async fn set_cover(pool: &PgPool, course_id: Uuid, sha256: Option<&str>) -> Result<(), AppError> {
    sqlx::query!(
        "update courses set cover_sha256 = $2, updated_at = now() where id = $1",
        course_id,
        sha256,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Moves a course to `status` if its workflow allows it now: the course row
/// is locked, and its lessons and enrolments counted, in the transaction
/// that writes the status. An enrolment (which reads the status under a
/// share lock, see `enrol_in_published`) therefore either lands before and
/// is counted here, or waits and sees the new status.
pub async fn change_status(pool: &PgPool, course_id: Uuid, status: CourseStatus) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let current = sqlx::query_scalar!(
        r#"select status as "status: CourseStatus" from courses where id = $1 for update"#,
        course_id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let counts = sqlx::query!(
        r#"select (select count(*) from lessons where course_id = $1) as "lessons!",
                  (select count(*) from enrolments where course_id = $1) as "enrolments!""#,
        course_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    if let Some(message) = current.refusal_to_become(status, counts.lessons, counts.enrolments) {
        return Err(AppError::field("status", message));
    }
    set_status(&mut *tx, course_id, status).await?;
    tx.commit().await?;
    Ok(())
}

async fn set_status(
    executor: impl sqlx::PgExecutor<'_>,
    course_id: Uuid,
    status: CourseStatus,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"update courses
           set status = $2,
               published_at = case when $3 then coalesce(published_at, now()) else published_at end,
               updated_at = now()
           where id = $1"#,
        course_id,
        status as CourseStatus,
        status == CourseStatus::Published,
    )
    .execute(executor)
    .await
    .map_err(|error| match slug_taken(error) {
        AppError::Validation(_) => AppError::Conflict(
            "A published course already uses this course's address. Change the address, then publish."
                .to_owned(),
        ),
        other => other,
    })?;
    Ok(())
}

pub async fn delete_course(pool: &PgPool, course_id: Uuid) -> Result<(), AppError> {
    sqlx::query!("delete from courses where id = $1", course_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn count_enrolments(pool: &PgPool, course_id: Uuid) -> Result<i64, AppError> {
    let count = sqlx::query_scalar!(
        r#"select count(*) as "count!" from enrolments where course_id = $1"#,
        course_id
    )
    .fetch_one(pool)
    .await?;
    Ok(count)
}

/// The course's lessons in order, each marked complete if `viewer_id` has
/// completed it.
pub async fn list_lessons(
    pool: &PgPool,
    course_id: Uuid,
    viewer_id: Option<Uuid>,
) -> Result<Vec<LessonSummary>, AppError> {
    let lessons = sqlx::query_as!(
        LessonSummary,
        r#"
        select l.id, l.position, l.title,
               exists (select 1 from lesson_completions lc
                       where lc.lesson_id = l.id and lc.user_id = $2) as "completed!"
        from lessons l
        where l.course_id = $1
        order by l.position
        "#,
        course_id,
        viewer_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(lessons)
}

/// The learner's progress, or `None` when they are not enrolled.
pub async fn progress(pool: &PgPool, user_id: Uuid, course_id: Uuid) -> Result<Option<Progress>, AppError> {
    let progress = sqlx::query_as!(
        Progress,
        r#"
        select
            (select count(*) from lesson_completions lc join lessons l on l.id = lc.lesson_id
             where l.course_id = e.course_id and lc.user_id = e.user_id) as "completed_lessons!",
            (select count(*) from lessons l where l.course_id = e.course_id) as "total_lessons!",
            e.last_lesson_id
        from enrolments e
        where e.user_id = $1 and e.course_id = $2
        "#,
        user_id,
        course_id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(progress)
}

/// A lesson with its text.
#[derive(Debug, Clone)]
pub struct LessonRecord {
    pub id: Uuid,
    pub course_id: Uuid,
    pub position: i32,
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
}

pub async fn find_lesson(pool: &PgPool, lesson_id: Uuid) -> Result<Option<LessonRecord>, AppError> {
    let lesson = sqlx::query_as!(
        LessonRecord,
        r#"select id, course_id, position, title, body_markdown, body_html
           from lessons where id = $1"#,
        lesson_id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(lesson)
}

/// Appends a lesson at the end of the course.
pub async fn insert_lesson(pool: &PgPool, course_id: Uuid, title: &str) -> Result<Uuid, AppError> {
    let mut transaction = pool.begin().await?;
    // Locking the course serialises concurrent appends, so two lessons
    // cannot claim the same position.
    sqlx::query!("select id from courses where id = $1 for update", course_id)
        .fetch_one(&mut *transaction)
        .await?;
    let lesson_id = sqlx::query_scalar!(
        r#"insert into lessons (course_id, position, title)
           values ($1, (select coalesce(max(position), 0) + 1 from lessons where course_id = $1), $2)
           returning id"#,
        course_id,
        title,
    )
    .fetch_one(&mut *transaction)
    .await?;
    sqlx::query!("update courses set updated_at = now() where id = $1", course_id)
        .execute(&mut *transaction)
        .await?;
    transaction.commit().await?;
    Ok(lesson_id)
}

pub async fn update_lesson(
    pool: &PgPool,
    lesson_id: Uuid,
    title: &str,
    body_markdown: &str,
    body_html: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"update lessons set title = $2, body_markdown = $3, body_html = $4, updated_at = now()
           where id = $1"#,
        lesson_id,
        title,
        body_markdown,
        body_html,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Swaps a lesson with its neighbour before (`earlier`) or after it. At the
/// start or end of the course nothing moves.
pub async fn move_lesson(pool: &PgPool, lesson: &LessonRecord, earlier: bool) -> Result<(), AppError> {
    let mut transaction = pool.begin().await?;
    sqlx::query!(
        "select id from courses where id = $1 for update",
        lesson.course_id
    )
    .fetch_one(&mut *transaction)
    .await?;
    let neighbour = sqlx::query!(
        r#"select id, position from lessons
           where course_id = $1 and case when $3 then position < $2 else position > $2 end
           order by case when $3 then -position else position end
           limit 1"#,
        lesson.course_id,
        lesson.position,
        earlier,
    )
    .fetch_optional(&mut *transaction)
    .await?;
    if let Some(neighbour) = neighbour {
        // The position constraint is deferred, so the swap may pass
        // through a moment where both lessons share a position.
        sqlx::query!(
            "update lessons set position = $2 where id = $1",
            lesson.id,
            neighbour.position
        )
        .execute(&mut *transaction)
        .await?;
        sqlx::query!(
            "update lessons set position = $2 where id = $1",
            neighbour.id,
            lesson.position
        )
        .execute(&mut *transaction)
        .await?;
    }
    transaction.commit().await?;
    Ok(())
}

/// Deletes a lesson and closes the gap it leaves in the order.
pub async fn delete_lesson(pool: &PgPool, lesson: &LessonRecord) -> Result<(), AppError> {
    let mut transaction = pool.begin().await?;
    sqlx::query!(
        "select id from courses where id = $1 for update",
        lesson.course_id
    )
    .fetch_one(&mut *transaction)
    .await?;
    sqlx::query!("delete from lessons where id = $1", lesson.id)
        .execute(&mut *transaction)
        .await?;
    sqlx::query!(
        "update lessons set position = position - 1 where course_id = $1 and position > $2",
        lesson.course_id,
        lesson.position,
    )
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(())
}

/// The decks attached to a lesson, in order, with their card counts.
pub async fn lesson_decks(pool: &PgPool, lesson_id: Uuid) -> Result<Vec<DeckSummary>, AppError> {
    let decks = sqlx::query_as!(
        DeckSummary,
        r#"
        select d.id, d.title, d.description,
               -- Learners see the deck's shared subdecks, never private ones.
               deck_tree_card_count(d.id, null, false) as "card_count_with_subdecks!"
        from lesson_decks ld join decks d on d.id = ld.deck_id
        where ld.lesson_id = $1 and d.visibility <> 'private'
        order by ld.position
        "#,
        lesson_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(decks)
}

/// The decks attached to any lesson of a course, each once, in the order a
/// learner meets them (by its first lesson, then its place in that lesson),
/// with their card counts. Private decks are left out, as on a lesson's page.
pub async fn course_decks(pool: &PgPool, course_id: Uuid) -> Result<Vec<DeckSummary>, AppError> {
    let decks = sqlx::query_as!(
        DeckSummary,
        r#"
        with first_use as (
            select distinct on (ld.deck_id) ld.deck_id, l.position as lesson_position, ld.position as deck_position
            from lessons l join lesson_decks ld on ld.lesson_id = l.id
            where l.course_id = $1
            order by ld.deck_id, l.position, ld.position
        )
        select d.id, d.title, d.description,
               -- Learners see the deck's shared subdecks, never private ones.
               deck_tree_card_count(d.id, null, false) as "card_count_with_subdecks!"
        from first_use f join decks d on d.id = f.deck_id
        where d.visibility <> 'private'
        order by f.lesson_position, f.deck_position, d.id
        "#,
        course_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(decks)
}

pub async fn attach_deck(pool: &PgPool, lesson_id: Uuid, deck_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        r#"insert into lesson_decks (lesson_id, deck_id, position)
           values ($1, $2, (select coalesce(max(position), 0) + 1 from lesson_decks where lesson_id = $1))
           on conflict (lesson_id, deck_id) do nothing"#,
        lesson_id,
        deck_id,
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn detach_deck(pool: &PgPool, lesson_id: Uuid, deck_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "delete from lesson_decks where lesson_id = $1 and deck_id = $2",
        lesson_id,
        deck_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Every deck of the author, private ones included: a lesson may point to
/// the others, and the editor offers to unlist a private one.
pub async fn attachable_decks(pool: &PgPool, owner_id: Uuid) -> Result<Vec<AttachableDeck>, AppError> {
    let decks = sqlx::query_as!(
        AttachableDeck,
        r#"
        select d.id, d.title, d.visibility = 'private' as "private!"
        from decks d
        where d.owner_id = $1
        order by d.title, d.id
        "#,
        owner_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(decks)
}

/// Makes a private deck unlisted, so learners with the link can open it,
/// and attaches it to the lesson, both or neither.
pub async fn unlist_and_attach_deck(pool: &PgPool, lesson_id: Uuid, deck_id: Uuid) -> Result<(), AppError> {
    let mut transaction = pool.begin().await?;
    sqlx::query!(
        "update decks set visibility = 'unlisted' where id = $1 and visibility = 'private'",
        deck_id
    )
    .execute(&mut *transaction)
    .await?;
    sqlx::query!(
        r#"insert into lesson_decks (lesson_id, deck_id, position)
           values ($1, $2, (select coalesce(max(position), 0) + 1 from lesson_decks where lesson_id = $1))
           on conflict (lesson_id, deck_id) do nothing"#,
        lesson_id,
        deck_id,
    )
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(())
}

pub async fn is_enrolled(pool: &PgPool, user_id: Uuid, course_id: Uuid) -> Result<bool, AppError> {
    let enrolled = sqlx::query_scalar!(
        r#"select exists (select 1 from enrolments where user_id = $1 and course_id = $2) as "enrolled!""#,
        user_id,
        course_id,
    )
    .fetch_one(pool)
    .await?;
    Ok(enrolled)
}

/// Enrols the learner; enrolling twice changes nothing.
/// Enrols `user_id` if the course is published at this moment; `false` if it
/// is not. The status is read under a share lock in the transaction that
/// inserts, so a change of status waits for it (see `change_status`).
pub async fn enrol_in_published(pool: &PgPool, user_id: Uuid, course_id: Uuid) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let status = sqlx::query_scalar!(
        r#"select status as "status: CourseStatus" from courses where id = $1 for share"#,
        course_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if status != Some(CourseStatus::Published) {
        return Ok(false);
    }
    sqlx::query!(
        "insert into enrolments (user_id, course_id) values ($1, $2) on conflict do nothing",
        user_id,
        course_id,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn unenrol(pool: &PgPool, user_id: Uuid, course_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "delete from enrolments where user_id = $1 and course_id = $2",
        user_id,
        course_id,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Remembers the lesson a learner last opened, for "continue where you
/// left off". A lesson they completed is not where they left off: one
/// opened again to look back leaves "continue" on the lesson it was on
/// (`set_lesson_completed` moves it on). Does nothing for someone not
/// enrolled.
pub async fn record_lesson_opened(
    pool: &PgPool,
    user_id: Uuid,
    lesson: &LessonRecord,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"update enrolments
           set last_lesson_id = case
                   when last_lesson_id is not null
                        and exists (select 1 from lesson_completions lc
                                    where lc.user_id = $1 and lc.lesson_id = $3)
                   then last_lesson_id
                   else $3 end,
               last_opened_at = now()
           where user_id = $1 and course_id = $2"#,
        user_id,
        lesson.course_id,
        lesson.id,
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn set_lesson_completed(
    pool: &PgPool,
    user_id: Uuid,
    lesson_id: Uuid,
    completed: bool,
) -> Result<(), AppError> {
    if completed {
        let mut tx = pool.begin().await?;
        sqlx::query!(
            "insert into lesson_completions (user_id, lesson_id) values ($1, $2) on conflict do nothing",
            user_id,
            lesson_id,
        )
        .execute(&mut *tx)
        .await?;
        // "Continue where you left off" moves on from a lesson completed to
        // the next one not completed yet, if any.
        sqlx::query!(
            r#"update enrolments e set last_lesson_id = next.id
               from lessons done,
                    lateral (select l.id from lessons l
                             where l.course_id = done.course_id and l.position > done.position
                               and not exists (select 1 from lesson_completions lc
                                               where lc.user_id = $1 and lc.lesson_id = l.id)
                             order by l.position limit 1) next
               where done.id = $2 and e.user_id = $1 and e.course_id = done.course_id
                 and (e.last_lesson_id = $2 or e.last_lesson_id is null)"#,
            user_id,
            lesson_id,
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    } else {
        sqlx::query!(
            "delete from lesson_completions where user_id = $1 and lesson_id = $2",
            user_id,
            lesson_id,
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}
