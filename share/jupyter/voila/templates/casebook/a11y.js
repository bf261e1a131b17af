/* Accessibility: states and names for assistive technology, set on the rendered widgets. */
