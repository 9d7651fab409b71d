"""Answers that look right and are not: what a hostile or broken server might send.

A fault rule with ``"misbehave": MODE`` (and no ``status``) lets the request be served
normally, then bends the answer in that one way. The list modes apply to
``GET /security/incidents`` (outer or inside a ``$batch``), the batch modes to
``POST /$batch``. A client must either read through them correctly (``no_count``) or
fail clearly; none of them may produce a wrong answer that looks right.
"""

LIST_MODES = (
    "no_count",         # no @odata.count even when $count=true was asked: the client must follow nextLinks
    "count_low",        # @odata.count says half of the real total
    "next_link_self",   # @odata.nextLink points at the page just served
    "next_link_first",  # @odata.nextLink points back at the first page
    "repeat_items",     # every page after the first starts with the previous page's last item
)
BATCH_MODES = (
    "batch_duplicate_id",  # one more answer with the first request's id, carrying another answer
    "batch_wrong_body",    # the first request's answer carries the body of another request's answer
)
MODES = LIST_MODES + BATCH_MODES


def page_start(modes, skip):
    """Where a list page really starts."""
    return skip - 1 if "repeat_items" in modes and skip > 0 else skip


def list_body(modes, body, total, own_url, first_page_url):
    """Bend a list page's body (already holding @odata.count / @odata.nextLink as Graph would)."""
    if "no_count" in modes:
        body.pop("@odata.count", None)
    if "count_low" in modes and "@odata.count" in body:
        body["@odata.count"] = max(1, total // 2)
    if "next_link_self" in modes:
        body["@odata.nextLink"] = own_url
    if "next_link_first" in modes:
        body["@odata.nextLink"] = first_page_url
    return body


def batch_answers(modes, answers):
    """Bend the inner answers of a $batch (in request order, before they are shuffled)."""
    if len(answers) < 2:
        return answers
    first, other = answers[0], answers[1]
    if "batch_wrong_body" in modes:
        answers = [dict(first, status=other["status"], body=other.get("body"))] + answers[1:]
    if "batch_duplicate_id" in modes:
        answers = answers + [dict(other, id=first["id"])]
    return answers
