"""Operations for administrators: the background-tasks page (/beheer/taken/).

The dead-letter list of the task queue in one place: e-mails that could not be sent (the
outbox) and reports that failed or lost their worker (monitoring), each with a button to try
again. Trying again is idempotent: only failed or stuck work is queued again, and the tasks
themselves claim their row before doing anything, so nothing is sent or made twice.
"""
