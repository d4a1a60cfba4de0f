from nabij.contacts import selectors
from nabij.contacts.tests.factories import ContactMomentFactory, SignalFactory, UserFactory


def test_timeline_worker_filter_lists_each_worker_with_contacts_or_observations_in_the_buurt_once(
    buurt, other_buurt, worker
):
    colleague = UserFactory(full_name="Anna Colleague", buurten=[buurt])
    elsewhere = UserFactory(full_name="Elders Werker", buurten=[other_buurt])
    ContactMomentFactory.create_batch(2, buurt=buurt, worker=worker)
    SignalFactory(buurt=buurt, worker=colleague)
    ContactMomentFactory(buurt=other_buurt, worker=elsewhere)

    workers = selectors.buurt_workers(user=worker, buurt=buurt)

    assert workers == sorted([(worker.pk, worker.full_name), (colleague.pk, colleague.full_name)], key=lambda w: w[1])
