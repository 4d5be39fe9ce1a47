package io.sluice.examples.orders;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of an order. The article leaves {@code items} unspecified; this example (and its Python producer) sends
 * {@code {"sku": "SKU-MUG", "quantity": 2}}.
 *
 * @param sku      the stock-keeping unit
 * @param quantity how many
 */
public record OrderItem(@JsonProperty("sku") String sku, @JsonProperty("quantity") int quantity) {
}
