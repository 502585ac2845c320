"""Email summaries: subscriptions, a preview of the summary, and a test email.

The dashboard never runs the schedule: `roi-tracker scheduler` (or `digest send --due` from
cron) sends the summaries. Viewers and editors see and manage their own subscriptions only;
administrators see everyone's and may subscribe any address.
"""

import streamlit as st

from roi_tracker import clock
from roi_tracker.access import Permission
from roi_tracker.domain.vocabulary import DeliveryStatus
from roi_tracker.errors import RoiTrackerError
from roi_tracker.reporting import delivery, schedule, subscriptions
from roi_tracker.ui import actions, auth, data
from roi_tracker.ui.resources import current_settings, engine, session

SCHEDULES = ["weekly", "daily", "monthly", "cron"]

st.title("Email summaries")
actions.show_flash()
settings = current_settings()
if not settings.emails_enabled:
    st.info(
        "Sending is off until `ROI_TRACKER_SMTP_HOST` is set. Subscriptions can still be "
        "added and previewed.",
        icon=":material/mail_off:",
    )

actor = auth.current_actor()
manager = actor.can(Permission.MANAGE_SUBSCRIPTIONS)
with session() as active:
    views = subscriptions.list_subscriptions(active, email=None if manager else actor.email or "")

st.subheader("Subscriptions")
if views:
    st.dataframe(
        [
            {
                "id": v.id,
                "email": v.email,
                "covers": v.coverage,
                "schedule": v.schedule,
                "time zone": v.timezone,
                "last delivery": f"{v.last_period} {v.last_status}" if v.last_status else "",
                "last error": v.last_error or "",
            }
            for v in views
        ],
        hide_index=True,
        key="subscriptions_table",
    )
else:
    st.caption("No subscriptions yet.")
for view in views:
    if view.last_status == DeliveryStatus.REFUSED.value:
        st.warning(
            f"The mail server refused summary #{view.id} permanently "
            f"({view.last_attempts} attempts): it is not retried until its next period. "
            "Its reason:",
            icon=":material/block:",
        )
        st.text(view.last_error or "")  # the server's words: plain text, never Markdown

st.subheader("Add a subscription")
project_keys = data.projects()["key"].tolist()
with st.form("subscribe_form", clear_on_submit=False):
    if manager:
        email = st.text_input("Email", key="subscribe_email")
    else:
        # anyone else may subscribe their own address only
        email = st.selectbox("Email", [actor.email or ""], key="subscribe_own_email")
    scope = st.selectbox("Scope", ["Whole portfolio", *project_keys], key="subscribe_scope")
    frequency = st.selectbox("Schedule", SCHEDULES, key="subscribe_schedule")
    cron = st.text_input(
        "Cron expression (for the cron schedule; at most hourly)",
        "0 8 * * 1",
        key="subscribe_cron",
        max_chars=schedule.MAX_CRON_LENGTH,
    )
    timezone = st.text_input("Time zone", "UTC", key="subscribe_timezone")
    submitted = st.form_submit_button("Subscribe")
if submitted:
    actions.run_write(
        lambda active: subscriptions.subscribe(
            active,
            actor=actor,
            email=email,
            project_key=None if scope == "Whole portfolio" else scope,
            frequency=None if frequency == "cron" else frequency,
            cron=cron if frequency == "cron" else None,
            timezone=timezone.strip(),
        ),
        success=f"Subscribed {email.strip()}.",
    )

if not views:
    st.stop()

labels = {v.id: f"#{v.id} {v.email}: {v.coverage}, {v.schedule}" for v in views}
chosen = st.selectbox("Subscription", list(labels), format_func=labels.get, key="chosen")

st.subheader("Preview")
try:
    email_parts = delivery.preview_email(engine(), settings, chosen, now=clock.now())
except RoiTrackerError as error:
    actions.show_problems(error, heading="The summary cannot be built.")
else:
    st.text(f"Subject: {email_parts.subject}")
    html_tab, text_tab = st.tabs(["HTML", "Plain text"])
    # every user-entered text in this HTML was escaped by the template (autoescape)
    html_tab.html(email_parts.html)
    text_tab.code(email_parts.text, language=None)

st.subheader("Send and remove")
send_column, remove_column = st.columns(2)
# a signed-in user's test email goes to their own address, never to someone else's
recipient = actor.email or next(v.email for v in views if v.id == chosen)
send_column.caption("The test email goes to:")
send_column.text(recipient)
if send_column.button("Send a test email", key="send_test", icon=":material/send:"):
    try:
        report = delivery.send_now(engine(), settings, [chosen], actor=actor, now=clock.now())
    except RoiTrackerError as error:
        actions.show_problems(error, heading="Nothing was sent.")
    else:
        for outcome in report.failed:
            send_column.error("Not sent:", icon=":material/error:")
            send_column.text(outcome.reason)
        if report.sent:
            send_column.success("Sent.", icon=":material/check_circle:")
sure = remove_column.checkbox("Yes, remove it and its delivery history", key="remove_sure")
if remove_column.button("Remove subscription", key="remove", disabled=not sure):
    actions.run_write(
        lambda active: subscriptions.remove_subscription(active, chosen, actor=actor),
        success=f"Removed subscription #{chosen}.",
    )
