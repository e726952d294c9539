{#- A name with the letter at `position` deleted (position 0: the name itself). Two names one typing slip
    apart (a letter dropped, added, mistyped, or two swapped) share one of their variants. -#}
{% macro name_variant(name, position) -%}
    case
        when {{ position }} = 0 then {{ name }}
        else overlay({{ name }} placing '' from {{ position }} for 1)
    end
{%- endmacro %}
