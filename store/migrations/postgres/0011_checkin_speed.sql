-- Check-ins at speed. A check-in that brings a person back in contact
-- closes their tracing task, and every index of tasks that holds the state
-- moves the task's entry: a page written at each commit. tasks_state
-- (state, id), of 0002, serves no query any more: a list by state is read
-- through tasks_due (state, due_on) or tasks_queue (state, queue, ...),
-- which give the page order (due day first) that tasks_state did not, and
-- counting by state reads tasks_due alone. So it goes.
DROP INDEX IF EXISTS tasks_state;
