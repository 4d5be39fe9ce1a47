#!/usr/bin/env python3
"""Places sample orders on the order-processing queue with the article's producer code.

The article's ``place_order`` is kept as written; what differs is only where the queue is:
the SQS endpoint comes from the environment (AWS_ENDPOINT_URL_SQS, then AWS_ENDPOINT_URL; unset
means real AWS) and the queue URL is looked up by name (ORDER_QUEUE, default order-processing)
instead of being hard-coded.

    AWS_ENDPOINT_URL_SQS=http://127.0.0.1:9324 AWS_REGION=us-east-1 \\
    AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x /usr/bin/python3 place_orders.py 10

Prints one line per order placed ("placed <order_id>"), then a total.
"""
import argparse
import json
import os
import random
import sys
import uuid
from collections import namedtuple
from datetime import datetime

import boto3

# The article: sqs = boto3.client('sqs'). Older boto3 (Debian's 1.26) reads neither
# AWS_ENDPOINT_URL_SQS nor AWS_REGION by itself, so both are passed explicitly.
sqs = boto3.client(
    'sqs',
    endpoint_url=os.environ.get('AWS_ENDPOINT_URL_SQS') or os.environ.get('AWS_ENDPOINT_URL'),
    region_name=os.environ.get('AWS_REGION') or os.environ.get('AWS_DEFAULT_REGION'),
)
QUEUE_URL = sqs.get_queue_url(QueueName=os.environ.get('ORDER_QUEUE', 'order-processing'))['QueueUrl']

# The article's producer reads order.id, order.items and order.customer_id.
Order = namedtuple('Order', ['id', 'items', 'customer_id'])


# Producer: Just drop the message and move on
def place_order(order):
    message = {
        'order_id': order.id,
        'items': order.items,
        'customer': order.customer_id,
        'timestamp': datetime.now().isoformat()
    }
    sqs.send_message(
        QueueUrl=QUEUE_URL,
        MessageBody=json.dumps(message)
    )
    return {"status": "Order received, processing started!"}


def sample_order(prefix, number):
    skus = ['SKU-MUG', 'SKU-TEE', 'SKU-CAP', 'SKU-BAG', 'SKU-PEN', 'SKU-BOOK']
    items = [{'sku': random.choice(skus), 'quantity': random.randint(1, 3)}
             for _ in range(random.randint(1, 3))]
    return Order(id=f'{prefix}-{number:04d}', items=items, customer_id=f'cust-{random.randint(1, 50)}')


def main():
    parser = argparse.ArgumentParser(description='Place sample orders on the order-processing queue.')
    parser.add_argument('count', type=int, nargs='?', default=10, help='orders to place (default 10)')
    parser.add_argument('--prefix', default='py-' + uuid.uuid4().hex[:6],
                        help='order id prefix (default: py-<random>)')
    args = parser.parse_args()
    for number in range(1, args.count + 1):
        order = sample_order(args.prefix, number)
        result = place_order(order)
        print(f'placed {order.id}: {result["status"]}', flush=True)
    print(f'placed {args.count} orders on {QUEUE_URL}', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
