#!/usr/bin/env python3
"""Places sample payments on the payments.fifo queue with the article's send_payment_request.

The article's ``send_payment_request`` is kept as written; what differs is only where the queue is:
the SQS endpoint comes from the environment (AWS_ENDPOINT_URL_SQS, then AWS_ENDPOINT_URL; unset
means real AWS) and the queue URL is looked up by name (PAYMENT_QUEUE, default payments.fifo)
instead of being hard-coded. The queue must exist (the Java worker creates it, with its DLQ).

Payments go to a few customers in turn (--customers, default 5): payment 1 is customer 1's first,
payment 2 customer 2's first, ..., payment 6 customer 1's second. Each carries the customer's
'sequence' number 1, 2, 3..., the order its customer's payments must be charged in; the FIFO
queue keeps that order per MessageGroupId (the customer). They are sent one at a time, in order.

    AWS_ENDPOINT_URL_SQS=http://127.0.0.1:9324 AWS_REGION=us-east-1 \\
    AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x /usr/bin/python3 place_payments.py 20

Prints one line per payment placed ("placed <transaction_id> for <customer_id> sequence <n>"),
then a total.
"""
import argparse
import json
import os
import random
import sys
import uuid
from datetime import datetime

import boto3

# The article: sqs = boto3.client('sqs'). Older boto3 (Debian's 1.26) reads neither
# AWS_ENDPOINT_URL_SQS nor AWS_REGION by itself, so both are passed explicitly.
sqs = boto3.client(
    'sqs',
    endpoint_url=os.environ.get('AWS_ENDPOINT_URL_SQS') or os.environ.get('AWS_ENDPOINT_URL'),
    region_name=os.environ.get('AWS_REGION') or os.environ.get('AWS_DEFAULT_REGION'),
)
QUEUE_NAME = os.environ.get('PAYMENT_QUEUE', 'payments.fifo')
try:
    QUEUE_URL = sqs.get_queue_url(QueueName=QUEUE_NAME)['QueueUrl']
except sqs.exceptions.QueueDoesNotExist:
    sys.exit(f'queue {QUEUE_NAME} does not exist at {sqs.meta.endpoint_url}; the Java worker creates it'
             f' (with its dead-letter queue) when it starts')


# The article's code, as written (comments included):
# Creating a FIFO queue for payment processing
def send_payment_request(payment_data):
    sqs.send_message(
        QueueUrl=QUEUE_URL,
        MessageBody=json.dumps(payment_data),
        MessageGroupId=payment_data['customer_id'],  # Groups maintain order
        MessageDeduplicationId=payment_data['transaction_id']  # Prevents duplicates
    )


def sample_payment(prefix, number, customers):
    """Payment number (1-based) of a run: customer ((number - 1) % customers) + 1, its sequence-th."""
    customer = (number - 1) % customers + 1
    cents = random.randint(100, 20000)
    return {
        'customer_id': f'{prefix}-cust-{customer}',
        'transaction_id': f'{prefix}-txn-{number:04d}',
        'sequence': (number - 1) // customers + 1,
        'amount': '%d.%02d' % divmod(cents, 100),  # money as a decimal string, never a float
        'currency': random.choice(['EUR', 'USD', 'GBP']),
        'timestamp': datetime.now().isoformat()
    }


def main():
    parser = argparse.ArgumentParser(description='Place sample payments on the payments.fifo queue.')
    parser.add_argument('count', type=int, nargs='?', default=10, help='payments to place (default 10)')
    parser.add_argument('--customers', type=int, default=5, help='customers they are for, in turn (default 5)')
    parser.add_argument('--prefix', default='py-' + uuid.uuid4().hex[:6],
                        help='customer and transaction id prefix (default: py-<random>)')
    args = parser.parse_args()
    if args.customers < 1:
        parser.error('--customers must be 1 or more')
    for number in range(1, args.count + 1):
        payment_data = sample_payment(args.prefix, number, args.customers)
        send_payment_request(payment_data)
        print(f"placed {payment_data['transaction_id']} for {payment_data['customer_id']}"
              f" sequence {payment_data['sequence']}", flush=True)
    print(f'placed {args.count} payments for {min(args.count, args.customers)} customers on {QUEUE_URL}',
          flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
