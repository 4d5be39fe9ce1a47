#!/usr/bin/env python3
"""Consumes orders with the article's consumer loop: the other direction of the interop check.

The article's ``order_processor`` is kept as written, except that it stops: after --max-polls
receives, or once --expect orders were processed (the article loops forever). The endpoint and
queue come from the environment as in place_orders.py (ORDER_QUEUE, default order-processing).

For each order it prints
    processed <order_id> customer=<customer> items=<n> same_bytes=<True|False>
where same_bytes says whether Python's json.dumps of the parsed order reproduces the message body
byte for byte, i.e. whether the producer wrote exactly what the article's producer would have.
A message that fails prints "Order processing failed: ..." and stays in the queue, as in the article.
Ends with "processed <n> orders".
"""
import argparse
import json
import os
import sys
from datetime import datetime

import boto3

# Endpoint and region as in place_orders.py.
sqs = boto3.client(
    'sqs',
    endpoint_url=os.environ.get('AWS_ENDPOINT_URL_SQS') or os.environ.get('AWS_ENDPOINT_URL'),
    region_name=os.environ.get('AWS_REGION') or os.environ.get('AWS_DEFAULT_REGION'),
)
QUEUE_URL = sqs.get_queue_url(QueueName=os.environ.get('ORDER_QUEUE', 'order-processing'))['QueueUrl']

processed = []


def process_single_order(order_data, body):
    # The article leaves this step open; here: check the message has the producer's fields.
    for field in ('order_id', 'items', 'customer', 'timestamp'):
        if field not in order_data:
            raise ValueError(f'field {field!r} is missing')
    datetime.fromisoformat(order_data['timestamp'])  # the producer wrote datetime.now().isoformat()
    same_bytes = json.dumps(order_data) == body
    print(f"processed {order_data['order_id']} customer={order_data['customer']}"
          f" items={len(order_data['items'])} same_bytes={same_bytes}", flush=True)
    processed.append(order_data['order_id'])


# Consumer: Process messages at your own pace
def order_processor(max_polls, wait_seconds, expect):
    for _ in range(max_polls):  # the article: while True:
        messages = sqs.receive_message(
            QueueUrl=QUEUE_URL,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=wait_seconds  # Long polling - more efficient
        )
        for message in messages.get('Messages', []):
            try:
                order_data = json.loads(message['Body'])
                # Process the order step by step
                process_single_order(order_data, message['Body'])
                # Only delete message after successful processing
                sqs.delete_message(
                    QueueUrl=QUEUE_URL,
                    ReceiptHandle=message['ReceiptHandle']
                )
            except Exception as e:
                print(f"Order processing failed: {e}", flush=True)
                # Message stays in queue for retry
        if expect is not None and len(processed) >= expect:
            break


def main():
    parser = argparse.ArgumentParser(description='Consume orders with the article\'s consumer loop.')
    parser.add_argument('--max-polls', type=int, default=10, help='receive calls at most (default 10)')
    parser.add_argument('--wait', type=int, default=20, help='WaitTimeSeconds of each receive (default 20)')
    parser.add_argument('--expect', type=int, help='stop once this many orders were processed')
    args = parser.parse_args()
    order_processor(args.max_polls, args.wait, args.expect)
    print(f'processed {len(processed)} orders', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
