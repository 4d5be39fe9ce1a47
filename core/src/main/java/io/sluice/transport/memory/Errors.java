package io.sluice.transport.memory;

import io.sluice.internal.support.MessageRules;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sqs.model.InvalidMessageContentsException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/**
 * The errors SQS returns, built as the AWS SDK builds them from a response (exception class, error code, HTTP 400), so
 * that code written against SQS sees the same thing from the in-memory transport. Messages follow SQS's wording.
 */
final class Errors {

    private Errors() {
    }

    static SqsException queueDoesNotExist() {
        return build(QueueDoesNotExistException.builder(), "AWS.SimpleQueueService.NonExistentQueue",
                "The specified queue does not exist.");
    }

    static SqsException queueNameExists(String name) {
        return build(QueueNameExistsException.builder(), "QueueAlreadyExists",
                "A queue already exists with the same name and a different value for attribute(s) of queue " + name);
    }

    static SqsException invalidParameter(String message) {
        return build(SqsException.builder(), "InvalidParameterValue", message);
    }

    static SqsException missingParameter(String parameter) {
        return build(SqsException.builder(), "MissingParameter",
                "The request must contain the parameter " + parameter + ".");
    }

    static SqsException invalidAttributeName(String name) {
        return build(InvalidAttributeNameException.builder(), "InvalidAttributeName",
                "Unknown Attribute " + name + ".");
    }

    static SqsException invalidAttributeValue(String name, String value, String reason) {
        return invalidParameter("Invalid value for the parameter " + name + " ('" + value + "'). Reason: " + reason);
    }

    static SqsException receiptHandleInvalid(String handle) {
        return build(ReceiptHandleIsInvalidException.builder(), "ReceiptHandleIsInvalid",
                "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
    }

    /** What a FIFO queue answers to a delete or visibility change with a handle whose visibility timeout ran out. */
    static SqsException receiptHandleExpired(String handle) {
        return invalidParameter("Value " + handle + " for parameter ReceiptHandle is invalid. Reason: The receipt handle"
                + " has expired.");
    }

    /**
     * The error SQS answers a broken {@link MessageRules} rule with: {@code InvalidMessageContentsException} or {@code
     * BatchRequestTooLongException} for those codes, else an {@code SqsException} with the violation's code.
     */
    static SqsException rejected(MessageRules.Violation violation) {
        SqsException.Builder builder = switch (violation.kind()) {
            case INVALID_MESSAGE_CONTENTS -> InvalidMessageContentsException.builder();
            case BATCH_REQUEST_TOO_LONG -> BatchRequestTooLongException.builder();
            case MISSING_PARAMETER, INVALID_PARAMETER_VALUE -> SqsException.builder();
        };
        return build(builder, violation.code(), violation.message());
    }

    static SqsException emptyBatch() {
        return build(EmptyBatchRequestException.builder(), "AWS.SimpleQueueService.EmptyBatchRequest",
                "There should be at least one entry in the request.");
    }

    static SqsException tooManyEntries(int entries) {
        return build(TooManyEntriesInBatchRequestException.builder(),
                "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                "Maximum number of entries per request are 10. You have sent " + entries + ".");
    }

    static SqsException idsNotDistinct(String id) {
        return build(BatchEntryIdsNotDistinctException.builder(), "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                "Id " + id + " repeated.");
    }

    static SqsException invalidBatchEntryId(String id) {
        return build(InvalidBatchEntryIdException.builder(), "AWS.SimpleQueueService.InvalidBatchEntryId",
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at"
                        + " most 80 letters long. Invalid id: '" + id + "'");
    }

    /** The per-entry failure for {@code id} that a batch call reports instead of failing as a whole. */
    static BatchResultErrorEntry entry(String id, SqsException error) {
        return BatchResultErrorEntry.builder()
                .id(id)
                .code(error.awsErrorDetails().errorCode())
                .message(error.awsErrorDetails().errorMessage())
                .senderFault(true)
                .build();
    }

    private static SqsException build(SqsException.Builder builder, String code, String message) {
        return (SqsException) builder
                .message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Sqs")
                        .build())
                .statusCode(400)
                .build();
    }
}
