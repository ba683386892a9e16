"""Price scenarios: the model of a price change and the customers it costs, with its
break-even and sensitivity (``model``), and the scenarios a team keeps (``saved``)."""
